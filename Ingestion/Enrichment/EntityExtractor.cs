using System.Text.RegularExpressions;
using AspireTickets.Domain.Privacy;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Ingestion.Enrichment;

/// <summary>
/// Pulls out the technical facts support engineers search for: e-mail addresses, URLs, host names, IP addresses,
/// versions, error codes, exception types and stack frames (.NET, Java, Python and JavaScript shapes). E-mail and IP
/// shapes are <see cref="PiiDetector"/>'s, so an address found here is exactly the one the masker hides.
/// </summary>
public sealed partial class EntityExtractor
{
    public static class Kinds
    {
        public const string Email = "email";
        public const string Url = "url";
        public const string Hostname = "hostname";
        public const string Ip = "ip";
        public const string Version = "version";
        public const string ErrorCode = "error_code";
        public const string Exception = "exception";
        public const string StackFrame = "stack_frame";
    }

    private const int MaxEntitiesPerKind = 50;
    private const int MaxScannedLength = 100_000;

    [GeneratedRegex(@"\b(?:https?|ftp)://[^\s<>""'\)\]]{1,2000}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"(?<![\w@.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:com|net|org|io|dev|app|cloud|internal|local|lan|corp|de|fr|es|pt|it|nl|uk|eu|us|ch|at|be|se|no|dk|fi|pl|cz|br|ca|au|jp|co|info|biz|svc|cluster)(?![\w-])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HostnamePattern();

    [GeneratedRegex(@"(?<![\w.])v?\d{1,4}\.\d{1,4}(?:\.\d{1,6}){0,2}(?:-[0-9A-Za-z.]{1,20})?(?![\w.]*\d)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    // HTTP statuses next to "HTTP"/"status", hex HRESULTs, Oracle/Postgres/Windows style codes, and ERR_/E_ constants.
    [GeneratedRegex(@"\b(?:(?:HTTP|status(?: code)?)[ /:]*(?<http>[1-5]\d\d)|(?<hex>0x[0-9A-Fa-f]{8})|(?<vendor>(?:ORA|SQLSTATE|PG|ERR|ERROR|E|KB|CVE|NU|CS|CA|IDE|TS|MSB)-?\d{3,6}(?:-\d{3,6})?)|(?<const>(?:ERR|E)_[A-Z][A-Z0-9_]{2,60}))\b", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorCodePattern();

    [GeneratedRegex(@"\b(?:[A-Za-z_][\w]*\.){0,8}[A-Z]\w{0,80}(?:Exception|Error)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ExceptionPattern();

    [GeneratedRegex(@"^[ \t]*(?:at [\w$.<>`\[\],|]+(?:\([^)\r\n]{0,500}\))?(?: in [^\r\n]{1,300}:line \d+)?|at [\w$.<>]+ \([^)\r\n]{1,300}:\d+(?::\d+)?\)|File ""[^""\r\n]{1,300}"", line \d+(?:, in [^\r\n]{1,200})?)[ \t]*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex StackFramePattern();

    public IReadOnlyList<TextEntity> Extract(string text)
    {
        var entities = new List<TextEntity>();
        if (string.IsNullOrEmpty(text))
        {
            return entities;
        }
        var scanned = text.Length > MaxScannedLength ? text[..MaxScannedLength] : text;

        // The e-mail pattern is the costliest to scan; most texts have no '@' at all.
        var emails = scanned.Contains('@', StringComparison.Ordinal) ? Collect(entities, Kinds.Email, PiiDetector.EmailPattern(), scanned) : [];
        var urls = Collect(entities, Kinds.Url, UrlPattern(), scanned, v => v.TrimEnd('.', ',', ';', ':', '!', '?'));

        var hostsInUrlsOrEmails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var url in urls)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.HostNameType == UriHostNameType.Dns)
            {
                hostsInUrlsOrEmails.Add(uri.Host);
                Add(entities, Kinds.Hostname, uri.Host.ToLowerInvariant());
            }
        }
        foreach (var email in emails)
        {
            hostsInUrlsOrEmails.Add(email[(email.IndexOf('@') + 1)..]);
        }
        foreach (Match match in HostnamePattern().Matches(scanned))
        {
            // A dotted .NET namespace ("System.IO") is no host; a host that is only a mail domain is the e-mail's.
            var value = match.Value.ToLowerInvariant();
            if (!hostsInUrlsOrEmails.Contains(value) && !LooksLikeCodeIdentifier(match.Value))
            {
                Add(entities, Kinds.Hostname, value);
            }
        }

        foreach (Match match in PiiDetector.IPv4Pattern().Matches(scanned))
        {
            Add(entities, Kinds.Ip, match.Value);
        }
        foreach (Match match in PiiDetector.IPv6Pattern().Matches(scanned))
        {
            if (PiiDetector.IsIPv6(match.Value))
            {
                Add(entities, Kinds.Ip, match.Value.ToLowerInvariant());
            }
        }

        var ips = entities.Where(e => e.Kind == Kinds.Ip).Select(e => e.Value).ToHashSet(StringComparer.Ordinal);
        foreach (Match match in VersionPattern().Matches(scanned))
        {
            if (!ips.Contains(match.Value) && !IsDate(scanned, match))
            {
                Add(entities, Kinds.Version, match.Value);
            }
        }

        foreach (Match match in ErrorCodePattern().Matches(scanned))
        {
            var value = match.Groups["http"].Success ? "HTTP " + match.Groups["http"].Value : match.Value;
            Add(entities, Kinds.ErrorCode, value);
        }
        Collect(entities, Kinds.Exception, ExceptionPattern(), scanned);
        Collect(entities, Kinds.StackFrame, StackFramePattern(), scanned, v => v.Trim());
        return entities;
    }

    private static List<string> Collect(List<TextEntity> entities, string kind, Regex pattern, string text, Func<string, string>? clean = null)
    {
        var values = new List<string>();
        foreach (Match match in pattern.Matches(text))
        {
            var value = clean is null ? match.Value : clean(match.Value);
            if (value.Length > 0 && Add(entities, kind, value))
            {
                values.Add(value);
            }
        }
        return values;
    }

    private static bool Add(List<TextEntity> entities, string kind, string value)
    {
        var ofKind = 0;
        foreach (var entity in entities)
        {
            if (entity.Kind == kind)
            {
                if (string.Equals(entity.Value, value, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
                ofKind++;
            }
        }
        if (ofKind >= MaxEntitiesPerKind)
        {
            return false;
        }
        entities.Add(new TextEntity(kind, value));
        return true;
    }

    // Host names are written in lower case; dotted names with capitals are code ("System.IO", "Foo.Bar.Baz").
    private static bool LooksLikeCodeIdentifier(string value) => value.Any(char.IsUpper);

    // "2026.03.02" is a date; so is "02.03" when followed by a year.
    private static bool IsDate(string text, Match match) =>
        match.Value.Length >= 10 && match.Value[4] == '.' && DateOnly.TryParseExact(match.Value[..10], "yyyy.MM.dd", out _);
}
