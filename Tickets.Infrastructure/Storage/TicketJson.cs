using System.Text.Json;
using System.Text.Json.Serialization;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Infrastructure.Storage;

/// <summary>
/// The one JSON shape tickets and events are stored in by every adapter: web (camelCase) names and enums as
/// strings, so stored documents stay readable and survive reordering of enum members.
/// </summary>
internal static class TicketJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize(Ticket ticket) => JsonSerializer.Serialize(ticket, Options);

    public static Ticket DeserializeTicket(string json, long version)
    {
        var ticket = JsonSerializer.Deserialize<Ticket>(json, Options)
            ?? throw new InvalidOperationException("A stored ticket is the JSON literal null.");
        // The version column/field is the source of truth; the JSON copy may predate a failed write.
        ticket.Version = version;
        return ticket;
    }

    public static string Serialize(TicketEvent ticketEvent) => JsonSerializer.Serialize(ticketEvent, Options);

    public static TicketEvent DeserializeEvent(string json) =>
        JsonSerializer.Deserialize<TicketEvent>(json, Options)
            ?? throw new InvalidOperationException("A stored event is the JSON literal null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Conversions shared by the adapters so that both index the same derived values.</summary>
internal static class TicketIndexValues
{
    /// <summary>The idempotency key, or null when the ticket has none (then every create stores a new ticket).</summary>
    public static string? SourceKey(Ticket ticket) => string.IsNullOrWhiteSpace(ticket.SourceKey) ? null : ticket.SourceKey;

    /// <summary>Labels are matched case-insensitively, like <see cref="TicketEditor.SetLabels"/> de-duplicates them.</summary>
    public static IReadOnlyList<string> Labels(Ticket ticket) =>
        ticket.Labels.Where(l => !string.IsNullOrWhiteSpace(l)).Select(NormalizeLabel).Distinct(StringComparer.Ordinal).ToList();

    public static string NormalizeLabel(string label) => label.Trim().ToLowerInvariant();

    /// <summary>What full-text search looks in: title, description and every comment.</summary>
    public static string SearchText(Ticket ticket) =>
        string.Join('\n', ticket.Comments.Select(c => c.Text).Prepend(ticket.Description).Prepend(ticket.Title));
}
