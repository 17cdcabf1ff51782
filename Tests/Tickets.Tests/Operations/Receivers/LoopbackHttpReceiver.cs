using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AspireTickets.Tests.Operations.Receivers;

/// <summary>An HTTP server on 127.0.0.1 that records every request and answers what the test says.</summary>
public sealed class LoopbackHttpReceiver : IDisposable
{
    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    public LoopbackHttpReceiver()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Status codes to answer with, in order; 200 once they are used up.</summary>
    public ConcurrentQueue<int> Statuses { get; } = new();

    /// <summary>Computes the response body (and content type) from the request; empty by default.</summary>
    public Func<Received, (string Body, string ContentType)>? Respond { get; set; }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var received = new Received(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body.ToArray());
            Requests.Enqueue(received);

            context.Response.StatusCode = Statuses.TryDequeue(out var status) ? status : 200;
            if (Respond is { } respond && context.Response.StatusCode < 300)
            {
                var (text, contentType) = respond(received);
                var bytes = Encoding.UTF8.GetBytes(text);
                context.Response.ContentType = contentType;
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
