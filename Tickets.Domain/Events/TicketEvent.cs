namespace AspireTickets.Domain.Events;

/// <summary>
/// An event on the event log. The ticket id is the partition key so one ticket's events stay in order;
/// the id is a version-7 GUID, so ids sort by creation time.
/// </summary>
public sealed record TicketEvent
{
    public const int CurrentSchemaVersion = 1;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Type { get; init; } = "";
    public Guid TicketId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>W3C <c>traceparent</c> of the activity that caused the event, so traces continue across the log.</summary>
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Event-specific data as JSON (masked text only; never raw PII).</summary>
    public string? Data { get; init; }

    public static TicketEvent Create(string type, Guid ticketId, DateTimeOffset now, string? data = null)
    {
        var activity = System.Diagnostics.Activity.Current;
        return new TicketEvent
        {
            Type = type,
            TicketId = ticketId,
            OccurredAt = now,
            TraceParent = activity?.Id,
            TraceState = activity?.TraceStateString,
            Data = data,
        };
    }
}

public static class TicketEventTypes
{
    public const string Created = "ticket.created";
    public const string Updated = "ticket.updated";
    public const string Analyzed = "ticket.analyzed";
    public const string Escalated = "ticket.escalated";
    public const string Archived = "ticket.archived";
    public const string Feedback = "ticket.feedback";
}
