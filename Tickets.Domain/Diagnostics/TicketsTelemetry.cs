using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AspireTickets.Domain.Diagnostics;

/// <summary>
/// The product's own ActivitySource and Meter. ServiceDefaults registers both names with OpenTelemetry,
/// so every span and instrument created here reaches the Aspire dashboard.
/// </summary>
public static class TicketsTelemetry
{
    public const string ActivitySourceName = "AspireTickets";
    public const string MeterName = "AspireTickets";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    public static readonly Meter Meter = new(MeterName);
}
