using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Benchmarks;

/// <summary>
/// Realistic synthetic tickets for load tests: a fixed seed, a status/priority mix like a real queue's, half a
/// year of creation times, labels, comments, and the audit entry and event a real create writes with each.
/// </summary>
internal static class SyntheticTickets
{
    private static readonly (TicketStatus Status, int Weight)[] Statuses =
    [
        (TicketStatus.New, 25), (TicketStatus.Triaged, 10), (TicketStatus.InProgress, 15), (TicketStatus.Waiting, 10),
        (TicketStatus.Resolved, 20), (TicketStatus.Closed, 17), (TicketStatus.Duplicate, 3),
    ];

    private static readonly (TicketPriority Priority, int Weight)[] Priorities =
    [
        (TicketPriority.Low, 25), (TicketPriority.Medium, 40), (TicketPriority.High, 25), (TicketPriority.Critical, 10),
    ];

    private static readonly string[] Subjects =
    [
        "VPN client", "login page", "invoice export", "password reset", "dashboard", "mobile app", "printer on floor 3",
        "SSO redirect", "search results", "file upload", "API token", "weekly report", "email notifications", "checkout",
    ];

    private static readonly string[] Problems =
    [
        "fails with error 500", "is very slow since this morning", "times out after 30 seconds", "shows the wrong totals",
        "does not load at all", "crashes on start", "keeps asking for the password", "returns an empty list",
        "sends duplicate messages", "is blocked by the firewall",
    ];

    private static readonly string[] Details =
    [
        "It started after the last update.", "Several colleagues see the same thing.", "Restarting did not help.",
        "The logs show a connection reset.", "It only happens on the production system.", "We need this fixed before the release.",
        "Screenshots are attached.", "Clearing the cache made no difference.",
    ];

    private static readonly string[] Assignees = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
    private static readonly string[] Labels = ["vpn", "sso", "billing", "mobile", "urgent", "customer", "regression", "network"];
    private static readonly string[] Sources = [TicketSources.Email, TicketSources.Jira, TicketSources.Zendesk, TicketSources.Api, TicketSources.Web];

    public static List<(Ticket Ticket, TicketChanges Changes)> Generate(int count, DateTimeOffset now, int seed = 42)
    {
        var random = new Random(seed);
        var items = new List<(Ticket, TicketChanges)>(count);
        for (var i = 0; i < count; i++)
        {
            var created = now.AddSeconds(-random.Next(0, 180 * 24 * 3600));
            var subject = Pick(random, Subjects);
            var source = Pick(random, Sources);
            var ticket = new Ticket
            {
                Source = source,
                SourceKey = $"{source}:bench-{i}",
                Title = $"{char.ToUpperInvariant(subject[0])}{subject[1..]} {Pick(random, Problems)}",
                Description = string.Join(' ', Enumerable.Range(0, random.Next(2, 5)).Select(_ => Pick(random, Details))),
                Reporter = new Person($"User {i % 5000}", $"user{i % 5000}@example.test"),
                Organization = $"Customer {i % 300}",
                Status = Weighted(random, Statuses),
                Priority = Weighted(random, Priorities),
                Category = Pick(random, TicketTaxonomy.DefaultCategories),
                Assignee = random.Next(4) == 0 ? null : Pick(random, Assignees),
                Labels = [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => Pick(random, Labels)).Distinct()],
                CreatedAt = created,
                UpdatedAt = created.AddMinutes(random.Next(0, 5000)),
            };
            ticket.Sla.FirstResponseDueAt = created.AddHours(4);
            ticket.Sla.ResolutionDueAt = created.AddDays(2);
            if (random.Next(3) == 0)
            {
                ticket.Comments.Add(new TicketComment { Author = ticket.Assignee ?? "support", Text = "Thanks, we are looking into it.", CreatedAt = created.AddHours(1) });
                ticket.FirstResponseAt = created.AddHours(1);
            }
            if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
            {
                ticket.ResolvedAt = created.AddHours(random.Next(1, 96));
            }

            var audit = new AuditEntry { TicketId = ticket.Id, At = created, Actor = "ingestion", Field = "created", NewValue = ticket.Title };
            var created_ = TicketEvent.Create(ticket.Id, created, new TicketCreated(TicketEventFacts.Of(ticket)));
            items.Add((ticket, new TicketChanges([audit], [created_])));
        }
        return items;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private static T Weighted<T>(Random random, (T Value, int Weight)[] values)
    {
        var roll = random.Next(values.Sum(v => v.Weight));
        foreach (var (value, weight) in values)
        {
            if (roll < weight)
            {
                return value;
            }
            roll -= weight;
        }
        return values[^1].Value;
    }
}
