using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireTickets.Domain.Events;

/// <summary>
/// An event on the event log. The ticket id is the partition key so one ticket's events stay in order;
/// the id is a version-7 GUID, so ids sort by creation time.
/// </summary>
public sealed record TicketEvent
{
    /// <summary>2: the data is the JSON of the event type's record (<see cref="ITicketEventData"/>).</summary>
    public const int CurrentSchemaVersion = 2;

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

    /// <summary>The event of <typeparamref name="TData"/>'s type, with its data written the one way all readers read it.</summary>
    public static TicketEvent Create<TData>(Guid ticketId, DateTimeOffset now, TData data) where TData : ITicketEventData =>
        Create(TData.EventType, ticketId, now, JsonSerializer.Serialize(data, DataJson));

    /// <summary>
    /// The data as <typeparamref name="TData"/>, or null when the event is of another type or its data cannot be read
    /// (a consumer must not fail forever on one malformed event; it treats the data as absent).
    /// </summary>
    public TData? ReadData<TData>() where TData : class, ITicketEventData
    {
        if (Type != TData.EventType || string.IsNullOrWhiteSpace(Data))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<TData>(Data, DataJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The fields the event changed, for the types that say so; none for the others.</summary>
    public IReadOnlyList<string> ReadChangedFields() =>
        (Type switch
        {
            TicketEventTypes.Updated => ReadData<TicketUpdated>(),
            TicketEventTypes.Archived => ReadData<TicketArchived>(),
            TicketEventTypes.Feedback => ReadData<TicketFeedbackGiven>() as IChangesFields,
            _ => null,
        })?.ChangedFields ?? [];

    private static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>An event with raw data; producers use <see cref="Create{TData}"/>, this is for the log's own tests and tools.</summary>
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
