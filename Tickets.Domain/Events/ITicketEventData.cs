namespace AspireTickets.Domain.Events;

/// <summary>
/// The data of one event type: the record both the writer and every reader of that type use, so that no side spells
/// a property name by hand. <see cref="EventType"/> ties the record to the <see cref="TicketEvent.Type"/> it travels as.
/// </summary>
public interface ITicketEventData
{
    static abstract string EventType { get; }
}

/// <summary>An event that says which of the ticket's fields it changed (the audit entries' field names).</summary>
public interface IChangesFields
{
    IReadOnlyList<string> ChangedFields { get; }
}
