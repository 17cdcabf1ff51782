using AspireTickets.Domain.Privacy;
using Microsoft.Extensions.Compliance.Redaction;

namespace AspireTickets.Ingestion.Enrichment;

/// <summary>
/// Produces the masked copy of a ticket's text that events, logs and language models get. Finding PII is the
/// shared <see cref="PiiDetector"/>'s (the agents' quality check flags exactly what it finds); replacing it is the
/// redaction framework's, so the replacement for each class is configured in one place (<see cref="PiiRedaction"/>).
/// </summary>
public sealed class PiiMasker(IRedactorProvider redactors)
{
    private const int MaxMaskedLength = 200_000;

    public string Mask(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        if (text.Length > MaxMaskedLength)
        {
            text = text[..MaxMaskedLength];
        }
        return PiiDetector.Mask(text, finding => redactors.GetRedactor(PiiClassifications.Of(finding.Kind)).Redact(finding.Value));
    }
}
