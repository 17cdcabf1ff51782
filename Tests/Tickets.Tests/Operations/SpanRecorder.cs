using System.Collections.Concurrent;
using System.Diagnostics;
using AspireTickets.Domain.Diagnostics;

namespace AspireTickets.Tests.Operations;

/// <summary>
/// Records every span of the named activity sources (the product's own by default) that ends while it is alive.
/// Listeners are process-wide: tests running in parallel add their spans too, so pick spans by ticket or trace.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;

    public SpanRecorder(params string[] sources)
    {
        string[] names = sources.Length == 0 ? [TicketsTelemetry.ActivitySourceName] : sources;
        _listener = new ActivityListener
        {
            ShouldListenTo = s => names.Contains(s.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public void Dispose() => _listener.Dispose();
}
