using System.Text.Json;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Storage;

public static class TicketSamples
{
    /// <summary>A ticket with every field set, including non-UTC offsets, sub-millisecond times and text that needs escaping.</summary>
    public static Ticket Full()
    {
        var offset = TimeSpan.FromHours(2);
        var created = new DateTimeOffset(2026, 2, 27, 14, 3, 7, 123, offset).AddTicks(4567);
        return new Ticket
        {
            Source = TicketSources.Email,
            SourceKey = "email:<abc@example.test>",
            Title = "Can't print – Größe A4 📄",
            Description = "Line one\nLine \"two\" with 'quotes' and <tags>",
            Reporter = new Person("Dana Reporter", "dana@example.test"),
            Organization = "Contoso",
            Status = TicketStatus.Triaged,
            Priority = TicketPriority.High,
            Category = "hardware",
            Labels = ["printer", "floor-3"],
            Assignee = "alice@example.test",
            CreatedAt = created,
            UpdatedAt = created.AddMinutes(5),
            FirstResponseAt = created.AddMinutes(30),
            Sla = new SlaDueTimes { FirstResponseDueAt = created.AddHours(4), ResolutionDueAt = created.AddDays(2) },
            Comments =
            [
                new TicketComment { Author = "alice@example.test", Text = "Looking into it", CreatedAt = created.AddMinutes(30), SourceKey = "email:<r1@example.test>" },
                new TicketComment { Author = "bob", IsPublic = false, Text = "Internal note", CreatedAt = created.AddMinutes(31) },
            ],
            Analysis = new TicketAnalysis
            {
                Category = "hardware",
                Priority = TicketPriority.High,
                Confidence = 0.875,
                Rationale = "Mentions printer",
                EstimatedTimeToResolve = TimeSpan.FromHours(3.5),
                DuplicateCandidates = [new DuplicateCandidate(Guid.CreateVersion7(), "Printer broken", 0.91)],
                Suggestion = new SuggestedResolution
                {
                    Text = "Restart the spooler.",
                    Citations = [new Citation(CitationKind.Article, "kb-12", "Spooler", "Restart the print spooler service")],
                    State = SuggestionState.Edited,
                    ReviewedBy = "alice",
                    ReviewedAt = created.AddHours(1),
                },
                Quality = new QualityVerdict { Passed = true, Score = 0.8, Reasons = ["grounded"] },
                ModelVersion = "triage-v3",
                AnalyzedAt = created.AddMinutes(1),
            },
            Insights = new TextInsights
            {
                Language = "en",
                Sentiment = -0.25,
                SentimentLabel = "negative",
                Keywords = ["printer", "a4"],
                Entities = [new TextEntity("email", "dana@example.test")],
                MaskedText = "Can't print [EMAIL]",
            },
            DuplicateOf = Guid.CreateVersion7(),
            Version = 0,
        };
    }

    /// <summary>Everything about a ticket as one string, to compare a stored ticket with the original.</summary>
    public static string Json(Ticket ticket, long version)
    {
        var saved = ticket.Version;
        ticket.Version = version;
        var json = JsonSerializer.Serialize(ticket);
        ticket.Version = saved;
        return json;
    }
}
