using System.Text;

namespace AspireTickets.Tests.Fuzz;

/// <summary>
/// The corpus of the fuzz suite: values an attacker or a broken client sends, for each place a request carries data.
/// Strings go into path segments, query values and JSON string members; JSON values replace members of a plausible
/// body; raw bodies replace the body altogether.
/// </summary>
public static class HostileValues
{
    public static readonly string[] Strings =
    [
        "", " ", "\t", "\u0000", "\u0000\u0001\u0002", "\u200B", "\uFEFF", "\u202Eevil", "ü", "𝄞", "null", "undefined", "NaN",
        "-1", "0", "2147483648", "-2147483649", "9223372036854775808", "1e309", "0x10", "1.5", "true",
        "0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "2026-02-30", "2026-13-45T25:61:61Z",
        "Pacific/Kiritimati", "Not/AZone", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2f", "/", "//", "\\",
        "' OR '1'='1' --", "\"; DROP TABLE tickets; --", "{\"$gt\": \"\"}", "$where", "<script>alert(1)</script>",
        "javascript:alert(1)", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "%00", "%ZZ", "\r\nX-Injected: 1",
        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "{00000000-0000-0000-0000-000000000000}",
        new string('a', 5_000), new string('€', 2_000), string.Concat(Enumerable.Repeat("🎫", 1_000)),
    ];

    /// <summary>JSON values (as JSON text) that replace one member of a body.</summary>
    public static readonly string[] JsonValues =
    [
        "null", "true", "false", "0", "-1", "2147483648", "9223372036854775808", "1e308", "-1e308", "1.0000000000000000000001",
        "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0007bell\"", "[]", "{}", "[null]", "[[[[[[[[[[[]]]]]]]]]]]",
        "{\"a\":{\"b\":{\"c\":{}}}}", "[\"\",\"\"]", "[1,2,3]", "\"9999-12-31T23:59:59Z\"", "\"0001-01-01\"", "\"P1000000D\"",
        "\"99999999.23:59:59\"", "\"-00:00:01\"", "\"../../etc/passwd\"", "\"<img src=x onerror=alert(1)>\"",
        "\"" + new string('x', 200_000) + "\"", "[" + string.Join(",", Enumerable.Repeat("\"tag\"", 10_000)) + "]",
    ];

    /// <summary>Whole bodies: broken JSON, wrong encodings, nesting past any sane depth, and plain junk.</summary>
    public static readonly (string Name, byte[] Body, string ContentType)[] Bodies =
    [
        ("empty", [], "application/json"),
        ("not json", "hello"u8.ToArray(), "application/json"),
        ("truncated", "{\"title\":\"a"u8.ToArray(), "application/json"),
        ("array", "[]"u8.ToArray(), "application/json"),
        ("string", "\"text\""u8.ToArray(), "application/json"),
        ("number", "42"u8.ToArray(), "application/json"),
        ("null", "null"u8.ToArray(), "application/json"),
        ("trailing garbage", "{}{}"u8.ToArray(), "application/json"),
        ("comment", "{/* c */}"u8.ToArray(), "application/json"),
        ("duplicate keys", "{\"title\":\"a\",\"title\":\"b\"}"u8.ToArray(), "application/json"),
        ("invalid utf-8", [(byte)'{', (byte)'"', (byte)'t', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}'], "application/json"),
        ("utf-8 bom", [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'], "application/json"),
        ("utf-16 without charset", Encoding.Unicode.GetBytes("{\"title\":\"a\"}"), "application/json"),
        ("utf-32 charset", Encoding.UTF32.GetBytes("{\"title\":\"a\"}"), "application/json; charset=utf-32"),
        ("bogus charset", "{}"u8.ToArray(), "application/json; charset=bogus"),
        ("deep arrays", Encoding.ASCII.GetBytes(new string('[', 5_000) + new string(']', 5_000)), "application/json"),
        ("deep objects", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 2_000)) + "1" + new string('}', 2_000)), "application/json"),
        ("xml", "<ticket><title>a</title></ticket>"u8.ToArray(), "application/xml"),
        ("form", "title=a&description=b"u8.ToArray(), "application/x-www-form-urlencoded"),
        ("text", "title: a"u8.ToArray(), "text/plain"),
        ("no content type", "{}"u8.ToArray(), ""),
        ("binary", [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 37))], "application/octet-stream"),
    ];
}
