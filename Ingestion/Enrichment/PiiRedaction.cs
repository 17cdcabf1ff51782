using AspireTickets.Domain.Privacy;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace AspireTickets.Ingestion.Enrichment;

/// <summary>The PII classes: one per <see cref="PiiDetector"/> kind, each with its own redactor (registered in <see cref="PiiRedaction"/>).</summary>
public static class PiiClassifications
{
    public const string TaxonomyName = "AspireTickets.Pii";

    public static DataClassification Of(string kind) => new(TaxonomyName, kind);

    public static DataClassification Email { get; } = Of(PiiDetector.Email);
    public static DataClassification Phone { get; } = Of(PiiDetector.Phone);
    public static DataClassification CardNumber { get; } = Of(PiiDetector.Card);
    public static DataClassification Iban { get; } = Of(PiiDetector.Iban);
    public static DataClassification IpAddress { get; } = Of(PiiDetector.Ip);
    public static DataClassification Secret { get; } = Of(PiiDetector.Secret);
}

/// <summary>
/// Replaces a value by a label that keeps the text readable ("call me at [PHONE]") but carries nothing of the value;
/// the labels are <see cref="PiiDetector.Label"/>'s, so ingestion and the agents mask alike.
/// </summary>
public abstract class LabelRedactor(string label) : Redactor
{
    public override int GetRedactedLength(ReadOnlySpan<char> input) => label.Length;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        label.AsSpan().CopyTo(destination);
        return label.Length;
    }
}

public sealed class EmailRedactor() : LabelRedactor(PiiDetector.Label(PiiDetector.Email));
public sealed class PhoneRedactor() : LabelRedactor(PiiDetector.Label(PiiDetector.Phone));
public sealed class CardNumberRedactor() : LabelRedactor(PiiDetector.Label(PiiDetector.Card));
public sealed class IbanRedactor() : LabelRedactor(PiiDetector.Label(PiiDetector.Iban));
public sealed class IpAddressRedactor() : LabelRedactor(PiiDetector.Label(PiiDetector.Ip));
public sealed class SecretRedactor() : LabelRedactor(PiiDetector.Label(PiiDetector.Secret));
public sealed class UnknownPiiRedactor() : LabelRedactor("[REDACTED]");

public static class PiiRedaction
{
    public static IRedactionBuilder AddTicketPiiRedactors(this IRedactionBuilder builder) => builder
        .SetRedactor<EmailRedactor>(new DataClassificationSet(PiiClassifications.Email))
        .SetRedactor<PhoneRedactor>(new DataClassificationSet(PiiClassifications.Phone))
        .SetRedactor<CardNumberRedactor>(new DataClassificationSet(PiiClassifications.CardNumber))
        .SetRedactor<IbanRedactor>(new DataClassificationSet(PiiClassifications.Iban))
        .SetRedactor<IpAddressRedactor>(new DataClassificationSet(PiiClassifications.IpAddress))
        .SetRedactor<SecretRedactor>(new DataClassificationSet(PiiClassifications.Secret))
        // Anything classified but not mapped is erased rather than passed through.
        .SetFallbackRedactor<UnknownPiiRedactor>();
}
