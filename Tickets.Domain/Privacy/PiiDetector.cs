using System.Text.RegularExpressions;

namespace AspireTickets.Domain.Privacy;

/// <summary>One piece of personal or secret data found in a text.</summary>
public sealed record PiiFinding(string Kind, int Index, int Length, string Value);

/// <summary>
/// Finds personal data and secrets in text: e-mail addresses, phone numbers, payment card numbers (Luhn-checked),
/// IBANs (mod-97-checked) and API keys/tokens. Checksums keep order numbers and timestamps from counting as cards
/// or IBANs. Used wherever text leaves a person's hands (suggestions, prompts, events).
/// </summary>
public static partial class PiiDetector
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Card = "card";
    public const string Iban = "iban";
    public const string Secret = "secret";

    public static IReadOnlyList<PiiFinding> Find(string? text)
    {
        var findings = new List<PiiFinding>();
        if (string.IsNullOrEmpty(text))
        {
            return findings;
        }

        foreach (Match m in EmailPattern().Matches(text))
        {
            findings.Add(new PiiFinding(Email, m.Index, m.Length, m.Value));
        }
        foreach (Match m in SecretPattern().Matches(text))
        {
            findings.Add(new PiiFinding(Secret, m.Index, m.Length, m.Value));
        }
        foreach (Match m in IbanPattern().Matches(text))
        {
            if (IsValidIban(m.Value))
            {
                findings.Add(new PiiFinding(Iban, m.Index, m.Length, m.Value));
            }
        }
        foreach (Match m in CardPattern().Matches(text))
        {
            var digits = Digits(m.Value);
            if (digits.Length is >= 13 and <= 19 && PassesLuhn(digits) && !Overlaps(findings, m))
            {
                findings.Add(new PiiFinding(Card, m.Index, m.Length, m.Value));
            }
        }
        foreach (Match m in PhonePattern().Matches(text))
        {
            var digits = Digits(m.Value);
            if (digits.Length is >= 8 and <= 15 && !Overlaps(findings, m) && !NotAPhone().IsMatch(m.Value))
            {
                findings.Add(new PiiFinding(Phone, m.Index, m.Length, m.Value));
            }
        }

        findings.Sort((a, b) => a.Index.CompareTo(b.Index));
        return findings;
    }

    /// <summary>The text with every finding replaced by <c>[kind]</c>.</summary>
    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        var findings = Find(text);
        var builder = new System.Text.StringBuilder(text.Length);
        var position = 0;
        foreach (var finding in findings)
        {
            if (finding.Index < position)
            {
                continue;
            }
            builder.Append(text, position, finding.Index - position).Append('[').Append(finding.Kind).Append(']');
            position = finding.Index + finding.Length;
        }
        return builder.Append(text, position, text.Length - position).ToString();
    }

    private static bool Overlaps(List<PiiFinding> findings, Match m) =>
        findings.Any(f => f.Index < m.Index + m.Length && m.Index < f.Index + f.Length);

    private static string Digits(string value) => new([.. value.Where(char.IsAsciiDigit)]);

    private static bool PassesLuhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
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
        }
        return sum % 10 == 0;
    }

    private static bool IsValidIban(string value)
    {
        var iban = new string([.. value.Where(c => !char.IsWhiteSpace(c))]).ToUpperInvariant();
        if (iban.Length is < 15 or > 34)
        {
            return false;
        }
        var rearranged = iban[4..] + iban[..4];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var n = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetterUpper(c) ? c - 'A' + 10 : -1;
            if (n < 0)
            {
                return false;
            }
            remainder = n >= 10 ? ((remainder * 100) + n) % 97 : ((remainder * 10) + n) % 97;
        }
        return remainder == 1;
    }

    // Dates, times and dotted quads have the shape of grouped digits but are not phone numbers.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$|^\d{1,3}(\.\d{1,3}){3}$|^\d{2}[./-]\d{2}[./-]\d{4}$")]
    private static partial Regex NotAPhone();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")]
    private static partial Regex EmailPattern();

    // International or grouped numbers: +49 30 1234567, (555) 123-4567, 555-123-4567.
    [GeneratedRegex(@"(?<!\w|\d\.)(\+\d{1,3}[\s.-]?)?(\(\d{2,4}\)[\s.-]?)?\d{2,4}([\s.-]\d{2,4}){1,4}(?!\w|\.\d)")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b", RegexOptions.IgnoreCase)]
    private static partial Regex IbanPattern();

    // Well-known key shapes (OpenAI/Stripe sk-, AWS access keys, GitHub/Slack tokens, JWTs, PEM private keys)
    // and "key/secret/token/password = value" assignments.
    [GeneratedRegex(@"\b(sk|pk|rk)[-_](live_|test_)?[A-Za-z0-9_-]{16,}\b|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bxox[abpr]-[A-Za-z0-9-]{10,}\b|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|\b(api[_-]?key|secret|token|password|passwd|pwd)\s*[:=]\s*\S{6,}", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPattern();
}
