using System.Text.Json.Serialization;

namespace AspireTickets.Domain.Events;

/// <summary>
/// <c>ticket.updated</c>: fields of a ticket changed (a person, the Api, a source's update). Whether the text changed
/// is derived from the changed fields, here and nowhere else, so a writer cannot forget it and a reader cannot read
/// it under another name: the agents re-run their workflow on exactly these updates.
/// </summary>
public sealed record TicketUpdated : ITicketEventData, IChangesFields
{
    private static readonly HashSet<string> TextFields = ["title", "description"];

    public static string EventType => TicketEventTypes.Updated;

    public TicketUpdated(IReadOnlyList<string> changedFields, TicketEventFacts? facts = null)
    {
        ChangedFields = changedFields ?? [];
        Facts = facts;
    }

    public IReadOnlyList<string> ChangedFields { get; init; }

    /// <summary>True when the title or the description changed: what the ticket says, not just how it is handled.</summary>
    public bool TextChanged => ChangedFields.Any(TextFields.Contains);

    /// <summary>Facts about the ticket after the change, when the writer has them masked (ingestion does).</summary>
    public TicketEventFacts? Facts { get; init; }

    /// <summary>
    /// Events of schema version 1 still on a log: the Api wrote the list as <c>fields</c> (ingestion already wrote
    /// <c>changedFields</c>). Read-only alias, never written.
    /// </summary>
    [JsonInclude, JsonPropertyName("fields"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private IReadOnlyList<string>? LegacyFields
    {
        get => null;
        init => ChangedFields = value ?? ChangedFields;
    }
}
