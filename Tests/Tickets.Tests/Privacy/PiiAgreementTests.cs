using System.Text.RegularExpressions;
using AspireTickets.Domain.Privacy;
using AspireTickets.Tests.Agents;
using AspireTickets.Tests.Ingestion;

namespace AspireTickets.Tests.Privacy;

/// <summary>
/// Ingestion masks personal data through the redaction framework; the agents mask prompts and indexed texts and
/// their quality check fails suggestions that leak it. One set of samples through all three paths: what ingestion
/// masks is exactly what the quality check flags, and what it leaves alone the check lets pass.
/// </summary>
public sealed partial class PiiAgreementTests
{
    public static TheoryData<string, string[]> Samples => new()
    {
        { "Card 4111 1111 1111 1111 was charged twice", [PiiDetector.Card] },
        { "Amex 378282246310005 and Visa 4111-1111-1111-1111", [PiiDetector.Card] },
        { "Pay to DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432", [PiiDetector.Iban] },
        { "Mail jane.doe@example.org about it", [PiiDetector.Email] },
        { "Call +49 30 1234 5678 or (415) 555-0132", [PiiDetector.Phone] },
        { "Server 10.1.2.3 and 2001:db8::ff00:42:8329 time out", [PiiDetector.Ip] },
        { "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abcdefghijk", [PiiDetector.Secret] },
        { "use api_key=sk_live_51Habcdefghijklmnop and AKIAIOSFODNN7EXAMPLE", [PiiDetector.Secret] },
        { "-----BEGIN PRIVATE KEY----- was pasted in the chat", [PiiDetector.Secret] },
        { "Ops (ops@example.com, +1 555 123 4567) refunded 4111 1111 1111 1111 from 192.168.0.7", [PiiDetector.Email, PiiDetector.Phone, PiiDetector.Card, PiiDetector.Ip] },
        { "Order 4111 1111 1111 1112 is late", [] },
        { "Tracking 1234567890123456 is late", [] },
        { "Pay to DE89 3704 0044 0532 0130 01 please", [] },
        { "Version 10.0.15 released 2026-03-02 at 09:00, ticket #58213", [] },
        { "Restart the router and clear the cache.", [] },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Ingestion_masking_agents_masking_and_the_quality_check_agree(string text, string[] kinds)
    {
        var found = PiiDetector.Find(text).Select(f => f.Kind).Distinct().Order().ToArray();
        var masked = EnrichmentTests.Masker().Mask(text);
        var verdict = QualityAndPrivacyTests.Checker.Check(
            QualityAndPrivacyTests.Suggestion($"1. {text} [1]", QualityAndPrivacyTests.TicketSource), relevance: 0.5);
        var leak = verdict.Reasons.Select(r => LeakReason().Match(r)).SingleOrDefault(m => m.Success);
        var flagged = leak is null ? [] : leak.Groups["kinds"].Value.Split(", ").Order().ToArray();

        Assert.Equal(kinds.Order(), found);
        Assert.Equal(PiiDetector.Mask(text), masked);
        Assert.Equal(found, flagged);
        Assert.Equal(found.Length > 0, masked != text);
        // Masked text leaks nothing any more, by the same judgement.
        Assert.Empty(PiiDetector.Find(masked));
    }

    [GeneratedRegex(@"^leaks personal data or secrets \((?<kinds>[^)]*)\)$")]
    private static partial Regex LeakReason();
}
