using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace AspireTickets.Ingestion.Enrichment;

/// <summary>The PII classes the masker finds; each one has its own redactor (registered in <see cref="PiiRedaction"/>).</summary>
public static class PiiClassifications
{
    public const string TaxonomyName = "AspireTickets.Pii";

    public static DataClassification Email { get; } = new(TaxonomyName, "email");
    public static DataClassification Phone { get; } = new(TaxonomyName, "phone");
    public static DataClassification CardNumber { get; } = new(TaxonomyName, "card");
    public static DataClassification Iban { get; } = new(TaxonomyName, "iban");
    public static DataClassification IpAddress { get; } = new(TaxonomyName, "ip");
    public static DataClassification Secret { get; } = new(TaxonomyName, "secret");
}

/// <summary>Replaces a value by a label that keeps the text readable ("call me at [PHONE]") but carries nothing of the value.</summary>
public abstract class LabelRedactor(string label) : Redactor
{
    public override int GetRedactedLength(ReadOnlySpan<char> input) => label.Length;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        label.AsSpan().CopyTo(destination);
        return label.Length;
    }
}

public sealed class EmailRedactor() : LabelRedactor("[EMAIL]");
public sealed class PhoneRedactor() : LabelRedactor("[PHONE]");
public sealed class CardNumberRedactor() : LabelRedactor("[CARD]");
public sealed class IbanRedactor() : LabelRedactor("[IBAN]");
public sealed class IpAddressRedactor() : LabelRedactor("[IP]");
public sealed class SecretRedactor() : LabelRedactor("[SECRET]");
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
