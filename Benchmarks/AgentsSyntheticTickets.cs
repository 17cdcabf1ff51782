using AspireTickets.Domain.Tickets;

namespace AspireTickets.Benchmarks;

/// <summary>
/// Synthetic help-desk tickets for the agents benchmark: titles and descriptions combined from a few hundred phrases plus
/// identifiers (error codes, versions, hosts), so the vocabulary and posting lists look like a real queue's; a third are
/// resolved with an answer of concrete steps, which is what resolutions are built from.
/// </summary>
internal static class AgentsSyntheticTickets
{
    private static readonly string[] Subjects =
    [
        "VPN client", "login page", "invoice export", "password reset", "dashboard", "mobile app", "printer", "SSO redirect",
        "search", "file upload", "API token", "weekly report", "email notifications", "checkout", "calendar sync", "CSV import",
        "two-factor codes", "user provisioning", "audit log", "webhook delivery", "billing page", "data export", "chat widget",
        "license server", "backup job", "shared drive", "Wi-Fi in the office", "Outlook add-in", "Jira integration", "Slack bot",
    ];

    private static readonly string[] Problems =
    [
        "fails with error 500", "is very slow since this morning", "times out after 30 seconds", "shows the wrong totals",
        "does not load at all", "crashes on start", "keeps asking for the password", "returns an empty list",
        "sends duplicate messages", "is blocked by the firewall", "logs me out every few minutes", "rejects valid input",
        "shows a blank page", "loses my settings", "cannot connect to the server", "is missing data from yesterday",
    ];

    private static readonly string[] Details =
    [
        "It started after the last update.", "Several colleagues see the same thing.", "Restarting did not help.",
        "The logs show a connection reset.", "It only happens on the production system.", "We need this fixed before the release.",
        "Screenshots are attached.", "Clearing the cache made no difference.", "It works in another browser.",
        "The problem appears on Windows and macOS.", "Our customers are affected.", "It worked fine last week.",
        "The error message says access denied.", "We use the enterprise plan.", "It happens with large files only.",
    ];

    private static readonly string[] Steps =
    [
        "Clear the browser cache and cookies, then sign in again.", "Restart the client and reconnect to the gateway.",
        "Update the app to the latest version from the portal.", "Check that the firewall allows outbound port 443.",
        "Regenerate the API token under Settings > Security.", "Re-run the export with fewer than 10,000 rows.",
        "Ask the administrator to reassign the license.", "Remove and re-add the account on the device.",
        "Sync the device clock and request a new code.", "Disable the browser extension that blocks scripts.",
        "Rotate the webhook secret and redeliver the failed events.", "Reset the user's session from the admin console.",
    ];

    private static readonly string[] Categories = ["bug", "feature", "question", "incident", "account", "billing", "security", "performance"];

    public static Ticket Create(Random random, int i, DateTimeOffset now, bool resolved)
    {
        var subjectIndex = random.Next(Subjects.Length);
        var subject = Subjects[subjectIndex];
        var problemIndex = random.Next(Problems.Length);
        var created = now.AddMinutes(-random.Next(60, 180 * 24 * 60));
        var description = string.Join(' ', Enumerable.Range(0, random.Next(2, 5)).Select(_ => Pick(random, Details)))
            + $" Error code E{random.Next(1000, 9999)} on host srv-{random.Next(1, 400)}, version {random.Next(1, 9)}.{random.Next(0, 30)}.";
        var ticket = new Ticket
        {
            Id = Guid.CreateVersion7(created),
            SourceKey = $"bench:{i}",
            Title = $"{subject} {Problems[problemIndex]}",
            Description = description,
            Reporter = new Person($"User {i % 5000}", $"user{i % 5000}@example.test"),
            // Labels a triage model can learn, as in a real queue: the category mostly follows the subject and the
            // priority mostly the problem, with a fifth of each decided otherwise.
            Category = random.NextDouble() < 0.8 ? Categories[subjectIndex % Categories.Length] : Pick(random, Categories),
            Priority = random.NextDouble() < 0.8 ? (TicketPriority)(problemIndex % 4) : (TicketPriority)random.Next(0, 4),
            CreatedAt = created,
            UpdatedAt = created,
            Status = TicketStatus.New,
        };
        if (resolved)
        {
            var answer = string.Join('\n', Enumerable.Range(1, random.Next(2, 4)).Select(n => $"{n}. {Pick(random, Steps)}"));
            ticket.Comments.Add(new TicketComment { Author = "agent.smith", IsPublic = true, Text = $"Thanks for the details.\n{answer}", CreatedAt = created.AddHours(2) });
            ticket.Status = TicketStatus.Resolved;
            ticket.ResolvedAt = created.AddHours(random.Next(1, 72));
        }
        return ticket;
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
