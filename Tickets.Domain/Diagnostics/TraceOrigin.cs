using System.Diagnostics;

namespace AspireTickets.Domain.Diagnostics;

/// <summary>
/// A W3C trace context (<c>traceparent</c>, <c>tracestate</c>) kept with data that outlives the activity that made it,
/// so work done for that data later, outside any request of its own, can continue the same trace.
/// </summary>
public sealed record TraceOrigin(string TraceParent, string? TraceState = null)
{
    /// <summary>The current activity's context; null outside any activity (nothing to continue).</summary>
    public static TraceOrigin? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? new TraceOrigin(activity.Id!, activity.TraceStateString) : null;

    /// <summary>The context to use as a remote parent; false when the stored value is not a valid traceparent.</summary>
    public bool TryGetContext(out ActivityContext context) =>
        ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out context);
}
