using System.Net;
using System.Net.Sockets;
using System.Text;
using AspireTickets.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.Api;

/// <summary>
/// Issue 17 item 5, on a real Kestrel and a raw keep-alive connection: a body over the limit gets its 413, and the
/// client's next request on that connection is answered (small enough bodies are drained) or the 413 says
/// <c>Connection: close</c> and the connection then ends cleanly.
/// </summary>
public sealed class BodyLimitConnectionTests : IAsyncLifetime
{
    private readonly TicketsAppFactory _app = new();
    private Uri _address = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        // A source whose configured limit is below the endpoint's: ingestion refuses such bodies itself.
        _app.Settings["Ingestion:Sources:alertmanager:Token"] = "am-token-0123456789";
        _app.Settings["Ingestion:Sources:alertmanager:MaxBodyBytes"] = "4096";
        _app.UseKestrel(0);
        _app.StartServer();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task After_a_413_for_a_body_it_can_drain_the_same_connection_answers_the_next_request()
    {
        using var connection = await ConnectAsync();
        var stream = connection.GetStream();

        await stream.WriteAsync(Post("/api/tickets", 2 * 1024 * 1024), Ct);
        var refused = await ReadResponseAsync(stream);
        await stream.WriteAsync(Get("/alive"), Ct);
        var next = await ReadResponseAsync(stream);

        Assert.Equal(413, refused.Status);
        Assert.Contains("application/problem+json", refused.Headers);
        Assert.DoesNotContain("connection: close", refused.Headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, next.Status);
    }

    [Fact]
    public async Task A_body_too_large_to_drain_gets_a_413_that_closes_the_connection_cleanly()
    {
        using var connection = await ConnectAsync();
        var stream = connection.GetStream();
        var body = Post("/api/tickets", (int)OversizedBody.MaxDrainBytes + 1024 * 1024);

        // The server answers before the body is all sent and then stops reading it: the rest may not get through.
        var sending = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(body, Ct);
            }
            catch (IOException)
            {
            }
        }, Ct);
        var refused = await ReadResponseAsync(stream);
        var after = await stream.ReadAsync(new byte[1], Ct);
        await sending;

        Assert.Equal(413, refused.Status);
        Assert.Contains("connection: close", refused.Headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task A_chunked_body_over_a_sources_limit_gets_a_413_that_closes_the_connection_cleanly()
    {
        using var connection = await ConnectAsync();
        var stream = connection.GetStream();
        var chunk = new string('a', 100 * 1024);
        var request = $"POST /ingest/alertmanager HTTP/1.1\r\nHost: {_address.Authority}\r\nAuthorization: Bearer am-token-0123456789\r\n"
            + $"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{chunk.Length:x}\r\n{chunk}\r\n0\r\n\r\n";

        // Ingestion reads a body up to the source's limit (4 KB here) and stops: the rest is never read, and Kestrel
        // itself marks such an answer Connection: close. This keeps it so.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);
        var refused = await ReadResponseAsync(stream);
        var after = await stream.ReadAsync(new byte[1], Ct);

        Assert.Equal(413, refused.Status);
        Assert.Contains("connection: close", refused.Headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task An_http_client_sending_an_oversized_body_gets_the_413_and_its_next_request_succeeds()
    {
        using var client = new HttpClient { BaseAddress = _address };
        client.DefaultRequestHeaders.Add("X-Api-Key", TicketsAppFactory.ApiKey);

        var refused = await client.PostAsync("/api/tickets", new StringContent(new string('a', 3 * 1024 * 1024), Encoding.UTF8, "application/json"), Ct);
        var next = await client.GetAsync("/api/tickets", Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_address.Host, _address.Port, Ct);
        client.ReceiveTimeout = 20_000;
        return client;
    }

    private byte[] Post(string path, int bodyBytes)
    {
        var head = $"POST {path} HTTP/1.1\r\nHost: {_address.Authority}\r\nX-Api-Key: {TicketsAppFactory.ApiKey}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {bodyBytes}\r\n\r\n";
        var bytes = new byte[Encoding.ASCII.GetByteCount(head) + bodyBytes];
        var written = Encoding.ASCII.GetBytes(head, bytes);
        bytes.AsSpan(written).Fill((byte)'a');
        return bytes;
    }

    private byte[] Get(string path) => Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {_address.Authority}\r\n\r\n");

    private sealed record Response(int Status, string Headers);

    /// <summary>One HTTP/1.1 response: status line and headers, then a Content-Length or chunked body, read to its end.</summary>
    private static async Task<Response> ReadResponseAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            head.Append((char)await ReadByteAsync(stream));
        }
        var text = head.ToString();
        var status = int.Parse(text.Split(' ')[1]);
        var headers = text.Split("\r\n").Skip(1).ToList();
        if (headers.FirstOrDefault(h => h.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase)) is { } length)
        {
            await SkipAsync(stream, int.Parse(length.Split(':')[1].Trim()));
        }
        else if (headers.Any(h => h.Equals("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            while (true)
            {
                var size = Convert.ToInt32((await ReadLineAsync(stream)).Split(';')[0], 16);
                await SkipAsync(stream, size);
                await ReadLineAsync(stream);
                if (size == 0)
                {
                    break;
                }
            }
        }
        return new Response(status, text);
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            line.Append((char)await ReadByteAsync(stream));
        }
        return line.ToString()[..^2];
    }

    private static async Task SkipAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, Ct);
    }

    private static async Task<int> ReadByteAsync(NetworkStream stream)
    {
        var one = new byte[1];
        return await stream.ReadAsync(one, Ct) == 1 ? one[0] : throw new IOException("the connection closed mid-response");
    }
}
