using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace AspireTickets.Ingestion.Enrichment;

/// <summary>
/// Produces the masked copy of a ticket's text that events, logs and language models get. Finding PII is ours
/// (patterns plus checksums, so an order number is not taken for a card); replacing it is the redaction
/// framework's, so the replacement for each class is configured in one place (<see cref="PiiRedaction"/>).
/// </summary>
public sealed partial class PiiMasker(IRedactorProvider redactors)
{
    private const int MaxMaskedLength = 200_000;

    private readonly record struct Span(int Start, int Length, DataClassification Classification);

    [GeneratedRegex(@"\bBearer\s+(?<secret>[A-Za-z0-9\-._~+/]{8,}=*)|\b(?:api[_-]?key|apikey|secret|token|password|passwd|pwd|access[_-]?key|client[_-]?secret|private[_-]?key)\b\s*[:=]\s*[""']?(?<secret>[^\s""',;]{4,})|(?<secret>\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}\b|\bsk-[A-Za-z0-9_-]{20,}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}|\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();

    [GeneratedRegex(@"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?<![\w+.])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,10}(?:[ .-]\d{1,10}){0,5}(?![\w.]?\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$|^\d{2}[./-]\d{2}[./-]\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

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

        var spans = new List<Span>();
        foreach (Match match in SecretPattern().Matches(text))
        {
            var secret = match.Groups["secret"];
            TryAdd(spans, secret.Index, secret.Length, PiiClassifications.Secret);
        }
        foreach (Match match in text.Contains('@', StringComparison.Ordinal) ? EntityExtractor.EmailPattern().Matches(text) : Enumerable.Empty<Match>())
        {
            TryAdd(spans, match.Index, match.Length, PiiClassifications.Email);
        }
        foreach (Match match in CardPattern().Matches(text))
        {
            if (IsLuhnValid(match.Value))
            {
                TryAdd(spans, match.Index, match.Length, PiiClassifications.CardNumber);
            }
        }
        foreach (Match match in IbanPattern().Matches(text))
        {
            if (IsValidIban(match.Value))
            {
                TryAdd(spans, match.Index, match.Length, PiiClassifications.Iban);
            }
        }
        foreach (Match match in EntityExtractor.IPv4Pattern().Matches(text))
        {
            TryAdd(spans, match.Index, match.Length, PiiClassifications.IpAddress);
        }
        foreach (Match match in EntityExtractor.IPv6Pattern().Matches(text))
        {
            if (EntityExtractor.IsIPv6(match.Value))
            {
                TryAdd(spans, match.Index, match.Length, PiiClassifications.IpAddress);
            }
        }
        foreach (Match match in PhonePattern().Matches(text))
        {
            if (IsPhoneNumber(match.Value))
            {
                TryAdd(spans, match.Index, match.Length, PiiClassifications.Phone);
            }
        }

        if (spans.Count == 0)
        {
            return text;
        }
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var masked = new StringBuilder(text.Length);
        var position = 0;
        foreach (var span in spans)
        {
            masked.Append(text, position, span.Start - position);
            masked.Append(redactors.GetRedactor(span.Classification).Redact(text.Substring(span.Start, span.Length)));
            position = span.Start + span.Length;
        }
        masked.Append(text, position, text.Length - position);
        return masked.ToString();
    }

    private static void TryAdd(List<Span> spans, int start, int length, DataClassification classification)
    {
        if (length == 0)
        {
            return;
        }
        foreach (var span in spans)
        {
            if (start < span.Start + span.Length && span.Start < start + length)
            {
                return; // an earlier, more specific detector already claimed these characters
            }
        }
        spans.Add(new Span(start, length, classification));
    }

    public static bool IsLuhnValid(string candidate)
    {
        var sum = 0;
        var digits = 0;
        var doubleIt = false;
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            var c = candidate[i];
            if (c is ' ' or '-')
            {
                continue;
            }
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            var d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
            digits++;
        }
        return digits is >= 13 and <= 19 && sum % 10 == 0;
    }

    public static bool IsValidIban(string candidate)
    {
        var iban = candidate.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (iban.Length is < 15 or > 34)
        {
            return false;
        }
        // ISO 13616: move the country code and check digits to the end, letters become 10..35, the number mod 97 is 1.
        var rearranged = iban[4..] + iban[..4];
        var numeric = new StringBuilder(rearranged.Length * 2);
        foreach (var c in rearranged)
        {
            if (char.IsAsciiDigit(c))
            {
                numeric.Append(c);
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                numeric.Append(c - 'A' + 10);
            }
            else
            {
                return false;
            }
        }
        return BigInteger.Parse(numeric.ToString(), System.Globalization.CultureInfo.InvariantCulture) % 97 == 1;
    }

    private static bool IsPhoneNumber(string candidate)
    {
        var digits = candidate.Count(char.IsAsciiDigit);
        var international = candidate.StartsWith('+') || candidate.Contains('(');
        var separated = candidate.Any(c => c is ' ' or '-' or '(');
        if (DatePattern().IsMatch(candidate) || (!candidate.Contains(' ') && !candidate.Contains('-') && candidate.Contains('.')))
        {
            return false; // dates, versions and IP-like dotted numbers are not phone numbers
        }
        return international ? digits is >= 8 and <= 15 : separated && digits is >= 9 and <= 15;
    }
}
