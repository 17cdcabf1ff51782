using System.Text;

namespace AspireTickets.Tests.Fuzz;

/// <summary>One request of the fuzz suite, kept as data so that a failure can print exactly what was sent.</summary>
public sealed record FuzzRequest(string Operation, string Method, string PathAndQuery, byte[]? Body, string? ContentType, string? IfMatch = null)
{
    public bool Mutates => Method is not "GET";

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(PathAndQuery, UriKind.Relative));
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (!string.IsNullOrEmpty(ContentType))
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }
        if (IfMatch is not null)
        {
            message.Headers.TryAddWithoutValidation("If-Match", IfMatch);
        }
        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : " body " + (Body.Length > 200 ? $"{Body.Length} bytes: " + Preview(Body[..200]) + "…" : Preview(Body));
        return $"{Method} {(PathAndQuery.Length > 300 ? PathAndQuery[..300] + "…" : PathAndQuery)} [{Operation}]{body}"
            + (ContentType is null ? "" : $" ({ContentType})") + (IfMatch is null ? "" : $" If-Match: {IfMatch}");
    }

    private static string Preview(byte[] bytes) => Encoding.UTF8.GetString(bytes).Replace("\0", "\\0");
}
