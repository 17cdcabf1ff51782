using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace AspireTickets.Domain.Privacy;

/// <summary>One piece of personal or secret data found in a text.</summary>
public sealed record PiiFinding(string Kind, int Index, int Length, string Value);

/// <summary>
/// The one detector of personal data and secrets: e-mail addresses, phone numbers, payment card numbers (Luhn-checked),
/// IBANs (mod-97-checked), IP addresses and API keys/tokens/credentials. Checksums keep order numbers and timestamps
/// from counting as cards or IBANs. Ingestion masks what it finds (through the redaction framework), the agents mask
/// prompts and indexed texts with it and the quality check fails suggestions in which it finds anything, so what is
/// masked at the door and what counts as a leak later are the same thing.
/// </summary>
public static partial class PiiDetector
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Card = "card";
    public const string Iban = "iban";
    public const string Ip = "ip";
    public const string Secret = "secret";

    // Most specific first: where findings overlap, the earlier kind keeps the characters (a token's digits are not
    // also a phone number, an IP address is not a phone number). Checksums and shape checks weed out look-alikes.
    private static readonly (string Kind, Regex Pattern, Func<string, bool> Accept)[] Detectors =
    [
        (Secret, SecretPattern(), _ => true),
        (Email, EmailPattern(), _ => true),
        (Card, CardPattern(), IsLuhnValid),
        (Iban, IbanPattern(), IsValidIban),
        (Ip, IPv4Pattern(), _ => true),
        (Ip, IPv6Pattern(), IsIPv6),
        (Phone, PhonePattern(), IsPhoneNumber),
    ];

    public static IReadOnlyList<PiiFinding> Find(string? text)
    {
        var findings = new List<PiiFinding>();
        if (string.IsNullOrEmpty(text))
        {
            return findings;
        }
        var mayHaveEmail = text.Contains('@', StringComparison.Ordinal);
        foreach (var (kind, pattern, accept) in Detectors)
        {
            if (kind == Email && !mayHaveEmail)
            {
                continue;
            }
            foreach (Match match in pattern.Matches(text))
            {
                // A secret assignment's name stays readable; only its value is the secret.
                var found = match.Groups["secret"] is { Success: true } value ? value : match;
                if (accept(found.Value))
                {
                    TryAdd(findings, kind, found);
                }
            }
        }
        findings.Sort((a, b) => a.Index.CompareTo(b.Index));
        return findings;
    }

    /// <summary>The label a finding of a kind is replaced by: <c>[EMAIL]</c>, <c>[CARD]</c>… (ingestion's redactors write the same).</summary>
    public static string Label(string kind) => "[" + kind.ToUpperInvariant() + "]";

    /// <summary>The text with every finding replaced by its <see cref="Label"/>.</summary>
    public static string Mask(string? text) => Mask(text, finding => Label(finding.Kind));

    /// <summary>The text with every finding replaced by what <paramref name="replacement"/> makes of it.</summary>
    public static string Mask(string? text, Func<PiiFinding, string> replacement)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var findings = Find(text);
        if (findings.Count == 0)
        {
            return text;
        }
        var masked = new StringBuilder(text.Length);
        var position = 0;
        foreach (var finding in findings)
        {
            masked.Append(text, position, finding.Index - position).Append(replacement(finding));
            position = finding.Index + finding.Length;
        }
        return masked.Append(text, position, text.Length - position).ToString();
    }

    private static void TryAdd(List<PiiFinding> findings, string kind, Group match)
    {
        if (match.Length == 0)
        {
            return;
        }
        foreach (var finding in findings)
        {
            if (match.Index < finding.Index + finding.Length && finding.Index < match.Index + match.Length)
            {
                return; // a more specific kind already claimed these characters
            }
        }
        findings.Add(new PiiFinding(kind, match.Index, match.Length, match.Value));
    }

    /// <summary>13 to 19 digits (spaces and dashes allowed between them) whose Luhn checksum holds.</summary>
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

    /// <summary>ISO 13616: country code and check digits moved to the end, letters as 10..35, the number mod 97 is 1.</summary>
    public static bool IsValidIban(string candidate)
    {
        var iban = candidate.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (iban.Length is < 15 or > 34)
        {
            return false;
        }
        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            var n = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetterUpper(c) ? c - 'A' + 10 : -1;
            if (n < 0)
            {
                return false;
            }
            // Digit by digit, so that no big number is ever built; a letter is two digits.
            remainder = n >= 10 ? ((remainder * 100) + n) % 97 : ((remainder * 10) + n) % 97;
        }
        return remainder == 1;
    }

    public static bool IsIPv6(string candidate) =>
        candidate.Length >= 3 && (candidate.Contains("::", StringComparison.Ordinal) || candidate.Count(c => c == ':') == 7) &&
        IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    private static bool IsPhoneNumber(string candidate)
    {
        var digits = candidate.Count(char.IsAsciiDigit);
        var international = candidate.StartsWith('+') || candidate.Contains('(', StringComparison.Ordinal);
        var separated = candidate.Any(c => c is ' ' or '-' or '(');
        if (DatePattern().IsMatch(candidate) || (!candidate.Contains(' ', StringComparison.Ordinal) && !candidate.Contains('-', StringComparison.Ordinal) && candidate.Contains('.', StringComparison.Ordinal)))
        {
            return false; // dates, versions and IP-like dotted numbers are not phone numbers
        }
        return international ? digits is >= 8 and <= 15 : separated && digits is >= 9 and <= 15;
    }

    [GeneratedRegex(@"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}(?![\w-])", RegexOptions.CultureInvariant)]
    public static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.]*\d)", RegexOptions.CultureInvariant)]
    public static partial Regex IPv4Pattern();

    // Candidates only (every colon-hex run); IsIPv6 decides, as IPAddress.TryParse handles "::" compression correctly.
    [GeneratedRegex(@"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])", RegexOptions.CultureInvariant)]
    public static partial Regex IPv6Pattern();

    // Bearer tokens, "key/secret/token/password = value" assignments (only the value is the secret), well-known key
    // shapes (Stripe, OpenAI, AWS access keys, GitHub and Slack tokens, JWTs) and PEM private keys. A value that is
    // already a mask label ("api_key=[SECRET]") is no secret, so masked text passes the check.
    [GeneratedRegex(@"\bBearer\s+(?<secret>[A-Za-z0-9\-._~+/]{8,}=*)|\b(?:api[_-]?key|apikey|secret|token|password|passwd|pwd|access[_-]?key|client[_-]?secret|private[_-]?key)\b\s*[:=]\s*[""']?(?!\[[A-Z]+\](?![^\s""',;]))(?<secret>[^\s""',;]{4,})|(?<secret>\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}\b|\bsk-[A-Za-z0-9_-]{20,}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}|\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}|-----BEGIN [A-Z ]*PRIVATE KEY-----)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();

    [GeneratedRegex(@"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex IbanPattern();

    // International or grouped numbers: +49 30 1234567, (415) 555-0132, 030 1234567.
    [GeneratedRegex(@"(?<![\w+.])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,10}(?:[ .-]\d{1,10}){0,5}(?![\w.]?\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$|^\d{2}[./-]\d{2}[./-]\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
