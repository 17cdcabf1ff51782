using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Pipeline;
using AspireTickets.Domain.Text;

namespace AspireTickets.Ingestion.Sources.Kafka;

/// <summary>Validates and normalizes one <see cref="InboundTicketMessage"/>.</summary>
public static class InboundTicketParser
{
    public static ParseResult Parse(byte[] value)
    {
        if (!SourceJson.TryRead<InboundTicketMessage>(value, out var message, out var error))
        {
            return error!;
        }
        if (string.IsNullOrWhiteSpace(message!.Id) || message.Id.Length > 200)
        {
            return new ParseResult.Invalid("id", "Required: the ticket's id in the publishing system (at most 200 characters).");
        }
        var system = string.IsNullOrWhiteSpace(message.System) ? "default" : message.System.Trim();
        if (system.Length > 50 || !system.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return new ParseResult.Invalid("system", "Letters, digits, '-', '_' or '.', at most 50.");
        }
        if (string.IsNullOrWhiteSpace(message.Title))
        {
            return new ParseResult.Invalid("title", "Required.");
        }
        TicketPriority priority;
        if (message.Priority is null)
        {
            priority = TicketPriority.Medium;
        }
        else if (!EnumNames.TryParse(message.Priority, out priority))
        {
            return new ParseResult.Invalid("priority", "One of low, medium, high, critical.");
        }
        var createdAt = SourceJson.Time(message.CreatedAt);
        if (message.CreatedAt is not null && createdAt is null)
        {
            return new ParseResult.Invalid("createdAt", "Not an ISO 8601 time.");
        }

        var incoming = new IncomingTicket
        {
            Source = TicketSources.Kafka,
            SourceKey = $"kafka:{system}:{message.Id.Trim()}",
            Title = SourceLimits.Title(message.Title),
            Description = message.Description ?? "",
            Priority = priority,
            Reporter = message.Reporter is { } r && (r.Name is not null || r.Email is not null) ? new Person(r.Name, r.Email) : null,
            Organization = message.Organization,
            Labels = SourceLimits.Labels(message.Labels ?? []),
            CreatedAt = createdAt,
        };
        // A re-published message carries the ticket as it is now in its system: apply what changed, once.
        return ParseResult.Accept(new IngestItem(incoming, editor => editor
            .SetTitle(incoming.Title)
            .SetDescription(incoming.Description)
            .SetPriority(incoming.Priority)
            .SetLabels(incoming.Labels)) { Reason = "kafka:tickets-inbound" });
    }
}
