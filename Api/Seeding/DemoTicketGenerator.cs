using System.Globalization;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Api.Seeding;

/// <summary>
/// Generates a deterministic, realistic demo history: tickets spread over the last 90 days, with reporters,
/// organizations, staff replies and, for most older tickets, the resolution that solved them.
/// </summary>
public static class DemoTicketGenerator
{
    public const int DefaultCount = 600;

    public static IReadOnlyList<(Ticket Ticket, TicketChanges Changes)> Generate(int count, DateTimeOffset now, int seed = 20261124)
    {
        var random = new Random(seed);
        var items = new List<(Ticket, TicketChanges)>(count);
        for (var i = 1; i <= count; i++)
        {
            items.Add(Create(i, now, random));
        }
        return items;
    }

    private static (Ticket, TicketChanges) Create(int number, DateTimeOffset now, Random random)
    {
        var scenario = Pick(random, DemoScenarios.All);
        var area = Pick(random, DemoScenarios.Areas);
        var first = Pick(random, DemoScenarios.FirstNames);
        var last = Pick(random, DemoScenarios.LastNames);
        var organization = Pick(random, DemoScenarios.Organizations);
        var created = now.AddMinutes(-random.Next(30, 90 * 24 * 60));

        var ticket = new Ticket
        {
            Source = TicketSources.Demo,
            SourceKey = $"{TicketSources.Demo}:{number.ToString("0000", CultureInfo.InvariantCulture)}",
            Title = Fill(Pick(random, scenario.Titles), area, created, random),
            Description = Fill(scenario.Description, area, created, random),
            Reporter = new Person($"{first} {last}", $"{Ascii(first)}.{Ascii(last)}@{Ascii(organization.Split(' ')[0])}.example".ToLowerInvariant()),
            Organization = organization,
            Priority = Vary(scenario.Priority, random),
            Category = scenario.Category,
            Labels = [.. scenario.Labels],
            CreatedAt = created,
            UpdatedAt = created,
        };

        var audit = new List<AuditEntry> { new() { TicketId = ticket.Id, At = created, Actor = "demo-seed", Field = "created", NewValue = ticket.SourceKey } };
        var age = now - created;
        var agent = Pick(random, DemoScenarios.Agents);

        // Most tickets older than a day have been answered; most older than three days are resolved.
        if (age > TimeSpan.FromHours(6) && random.NextDouble() < 0.9)
        {
            var answeredAt = created.AddMinutes(random.Next(5, (int)Math.Min(age.TotalMinutes - 1, 24 * 60)));
            var editor = new TicketEditor(ticket, agent, answeredAt);
            editor.SetAssignee(agent).SetStatus(TicketStatus.InProgress);
            editor.AddComment(new TicketComment { Author = agent, Text = $"Hi {first}, thanks for reporting this. We are looking into it and will update you shortly." });
            audit.AddRange(editor.Audit);

            if (random.NextDouble() < 0.3)
            {
                var followUp = answeredAt.AddMinutes(random.Next(10, 600));
                if (followUp < now)
                {
                    var customer = new TicketEditor(ticket, ticket.Reporter.Email!, followUp);
                    customer.AddComment(new TicketComment { Author = ticket.Reporter.Email!, Text = "Any update on this? It is still happening for several colleagues." });
                    audit.AddRange(customer.Audit);
                }
            }

            if (age > TimeSpan.FromDays(3) && random.NextDouble() < 0.85)
            {
                var resolvedAt = created.Add(ResolutionTime(ticket.Priority, random));
                if (resolvedAt > now)
                {
                    resolvedAt = now.AddMinutes(-random.Next(1, 120));
                }
                resolvedAt = resolvedAt < answeredAt ? answeredAt.AddMinutes(30) : resolvedAt;
                var resolver = new TicketEditor(ticket, agent, resolvedAt);
                resolver.AddComment(new TicketComment { Author = agent, Text = Fill(scenario.Resolution, area, created, random) });
                resolver.SetStatus(TicketStatus.Resolved);
                if (age > TimeSpan.FromDays(10) && random.NextDouble() < 0.7)
                {
                    resolver.SetStatus(TicketStatus.Closed);
                }
                audit.AddRange(resolver.Audit);
            }
        }

        ticket.UpdatedAt = audit[^1].At;
        var changes = new TicketChanges(audit, [TicketEvent.Create(ticket.Id, ticket.CreatedAt, new TicketCreated(TicketEventFacts.Of(ticket)))]);
        return (ticket, changes);
    }

    private static TimeSpan ResolutionTime(TicketPriority priority, Random random) => priority switch
    {
        TicketPriority.Critical => TimeSpan.FromMinutes(random.Next(30, 8 * 60)),
        TicketPriority.High => TimeSpan.FromHours(random.Next(2, 48)),
        TicketPriority.Medium => TimeSpan.FromHours(random.Next(6, 96)),
        _ => TimeSpan.FromHours(random.Next(12, 240)),
    };

    // Customers do not always pick the priority the scenario deserves.
    private static TicketPriority Vary(TicketPriority priority, Random random) => random.NextDouble() switch
    {
        < 0.1 when priority > TicketPriority.Low => priority - 1,
        > 0.92 when priority < TicketPriority.Critical => priority + 1,
        _ => priority,
    };

    private static string Fill(string template, string area, DateTimeOffset created, Random random) =>
        template
            .Replace("{area}", area, StringComparison.Ordinal)
            .Replace("{browser}", Pick(random, DemoScenarios.Browsers), StringComparison.Ordinal)
            .Replace("{month}", created.ToString("MMMM", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private static string Ascii(string value) =>
        new(value.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetter).ToArray());
}
