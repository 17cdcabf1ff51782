using AspireTickets.Agents.Quality;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Privacy;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.Options;

namespace AspireTickets.Tests.Agents;

public sealed class QualityAndPrivacyTests
{
    internal static readonly SuggestionQualityChecker Checker = new(new StaticOptions(new AgentsOptions()));

    internal static SuggestedResolution Suggestion(string text, params Citation[] citations) => new() { Text = text, Citations = [.. citations] };

    internal static readonly Citation TicketSource = new(CitationKind.Ticket, Guid.NewGuid().ToString(), "Cannot log in", "Clear the browser cache and cookies for the portal.");

    [Fact]
    public void A_cited_relevant_professional_suggestion_with_steps_passes()
    {
        var verdict = Checker.Check(Suggestion("Suggested steps:\n1. Clear the browser cache and cookies for the portal. [1]", TicketSource), relevance: 0.4);
        Assert.True(verdict.Passed, string.Join("; ", verdict.Reasons));
        Assert.Equal(1.0, verdict.Score);
    }

    [Theory]
    [InlineData("1. Write to jane.doe@example.com for a reset. [1]", "email")]
    [InlineData("1. Call the customer at +49 30 1234 5678 to confirm. [1]", "phone")]
    [InlineData("1. Refund card 4111 1111 1111 1111 manually. [1]", "card")]
    [InlineData("1. Pay back to DE89 3704 0044 0532 0130 00 today. [1]", "iban")]
    [InlineData("1. Use api_key=sk_live_51HxYzAbCdEfGhIjKlMn to retry. [1]", "secret")]
    public void A_suggestion_leaking_personal_data_or_secrets_fails(string text, string kind)
    {
        var verdict = Checker.Check(Suggestion(text, TicketSource), relevance: 0.5);
        Assert.False(verdict.Passed);
        Assert.Contains(verdict.Reasons, r => r.Contains("leaks", StringComparison.Ordinal) && r.Contains(kind, StringComparison.Ordinal));
        Assert.Equal(0.8, verdict.Score);
    }

    [Fact]
    public void A_suggestion_without_citations_fails()
    {
        var verdict = Checker.Check(Suggestion("1. Restart the router."), relevance: 0.5);
        Assert.False(verdict.Passed);
        Assert.Contains("cites no source", verdict.Reasons);
    }

    [Fact]
    public void A_marker_without_a_citation_fails()
    {
        var verdict = Checker.Check(Suggestion("1. Restart the router. [2]", TicketSource), relevance: 0.5);
        Assert.Contains("cites a source that is not in its citations", verdict.Reasons);
    }

    [Fact]
    public void An_unrelated_suggestion_fails_on_relevance()
    {
        var verdict = Checker.Check(Suggestion("1. Restart the router. [1]", TicketSource), relevance: 0.02);
        Assert.False(verdict.Passed);
        Assert.Contains(verdict.Reasons, r => r.StartsWith("does not relate to the ticket", StringComparison.Ordinal));
    }

    [Fact]
    public void A_suggestion_without_steps_fails()
    {
        var verdict = Checker.Check(Suggestion("Clear the browser cache. [1]", TicketSource), relevance: 0.5);
        Assert.Contains("contains no steps", verdict.Reasons);
    }

    [Theory]
    [InlineData("1. JUST RESTART THE DAMN ROUTER ALREADY. [1]")]
    [InlineData("1. This is a stupid question, restart it. [1]")]
    [InlineData("1. Restart the router!! [1]")]
    public void Unprofessional_tone_fails(string text)
    {
        var verdict = Checker.Check(Suggestion(text, TicketSource), relevance: 0.5);
        Assert.False(verdict.Passed);
        Assert.Contains(verdict.Reasons, r => r.StartsWith("unprofessional", StringComparison.Ordinal) || r.StartsWith("shouts", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Order 4111 1111 1111 1112 shipped", "card", false)] // fails Luhn
    [InlineData("Released on 2026-03-02 at 09:00", "phone", false)]
    [InlineData("Server 192.168.10.20 is down", "phone", false)]
    [InlineData("Server 192.168.10.20 is down", "ip", true)]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----", "secret", true)]
    [InlineData("IBAN GB82 WEST 1234 5698 7654 32", "iban", true)]
    [InlineData("IBAN GB82 WEST 1234 5698 7654 33", "iban", false)] // fails mod 97
    [InlineData("key AKIAIOSFODNN7EXAMPLE leaked", "secret", true)]
    [InlineData("mail me: ops@example.org", "email", true)]
    public void The_detector_checks_shapes_and_checksums(string text, string kind, bool found) =>
        Assert.Equal(found, PiiDetector.Find(text).Any(f => f.Kind == kind));

    [Fact]
    public void Masking_replaces_each_finding_with_its_kind()
    {
        Assert.Equal("Write to [EMAIL] or call [PHONE].", PiiDetector.Mask("Write to a.b@example.com or call +1 555 123 4567."));
    }

    private sealed class StaticOptions(AgentsOptions value) : IOptionsMonitor<AgentsOptions>
    {
        public AgentsOptions CurrentValue => value;
        public AgentsOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<AgentsOptions, string?> listener) => null;
    }
}
