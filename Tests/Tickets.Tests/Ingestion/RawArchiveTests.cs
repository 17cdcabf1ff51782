using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using AspireTickets.Domain.Archive;
using AspireTickets.Infrastructure.Archive;

namespace AspireTickets.Tests.Ingestion;

public class RawArchiveTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 3, 2, 23, 59, 59, TimeSpan.FromHours(-5));

    [Fact]
    public async Task The_local_archive_writes_under_source_and_UTC_day_and_reads_back()
    {
        var root = NewRoot();
        try
        {
            await using var archive = new LocalRawArchive(root);
            var payload = new RawPayload("jira", "0192f0c3a1b27c3d", ReceivedAt, "application/json", Encoding.UTF8.GetBytes("{\"ä\":1}"));

            var key = await archive.SaveAsync(payload, TestContext.Current.CancellationToken);

            Assert.Equal("jira/2026-03-03/0192f0c3a1b27c3d", key);
            Assert.Equal([Path.Combine(root, "jira", "2026-03-03.rawlog")], Directory.GetFiles(root, "*", SearchOption.AllDirectories));
            Assert.Equal(payload.Content.ToArray(), await archive.LoadAsync(key, TestContext.Current.CancellationToken));
            Assert.Null(await archive.LoadAsync("jira/2026-03-03/missing", TestContext.Current.CancellationToken));
            Assert.Null(await archive.LoadAsync("jira/2026-03-04/0192f0c3a1b27c3d", TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Concurrent_deliveries_are_all_kept_and_survive_a_restart()
    {
        var root = NewRoot();
        try
        {
            var payloads = Enumerable.Range(0, 200)
                .Select(i => new RawPayload(i % 2 == 0 ? "jira" : "sentry", $"d{i:0000}", ReceivedAt.AddHours(i % 3 * 24), null, Encoding.UTF8.GetBytes(new string((char)('a' + i % 26), i * 7))))
                .ToList();
            await using (var archive = new LocalRawArchive(root))
            {
                await Parallel.ForEachAsync(payloads, TestContext.Current.CancellationToken, async (p, ct) => await archive.SaveAsync(p, ct));
            }

            // A new process (a new archive over the same folder) reads them all and appends after them.
            await using var reopened = new LocalRawArchive(root);
            var late = new RawPayload("jira", "late", ReceivedAt, null, "late"u8.ToArray());
            await reopened.SaveAsync(late, TestContext.Current.CancellationToken);
            foreach (var p in payloads.Append(late))
            {
                Assert.Equal(p.Content.ToArray(), await reopened.LoadAsync(p.Key, TestContext.Current.CancellationToken));
            }
            Assert.Equal(6, Directory.GetFiles(root, "*.rawlog", SearchOption.AllDirectories).Length);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_day_closes_the_sources_older_segment_and_a_late_write_to_it_is_still_kept()
    {
        var root = NewRoot();
        try
        {
            await using var archive = new LocalRawArchive(root);
            var jiraMonday = new RawPayload("jira", "mon", ReceivedAt, null, "monday"u8.ToArray());
            var sentryMonday = new RawPayload("sentry", "mon", ReceivedAt, null, "sentry monday"u8.ToArray());
            var jiraTuesday = new RawPayload("jira", "tue", ReceivedAt.AddDays(1), null, "tuesday"u8.ToArray());
            var lateMonday = new RawPayload("jira", "late", ReceivedAt, null, "in flight at midnight"u8.ToArray());

            await archive.SaveAsync(jiraMonday, TestContext.Current.CancellationToken);
            await archive.SaveAsync(sentryMonday, TestContext.Current.CancellationToken);
            await archive.SaveAsync(jiraTuesday, TestContext.Current.CancellationToken);

            Assert.Equal(2, archive.OpenSegments);
            await archive.SaveAsync(lateMonday, TestContext.Current.CancellationToken);
            Assert.Equal(2, archive.OpenSegments);
            foreach (var p in new[] { jiraMonday, sentryMonday, jiraTuesday, lateMonday })
            {
                Assert.Equal(p.Content.ToArray(), await archive.LoadAsync(p.Key, TestContext.Current.CancellationToken));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_torn_record_at_the_end_is_cut_off_and_the_next_delivery_is_readable()
    {
        var root = NewRoot();
        try
        {
            var first = new RawPayload("jira", "first", ReceivedAt, null, "first payload"u8.ToArray());
            var torn = new RawPayload("jira", "torn", ReceivedAt, null, "this one loses its tail"u8.ToArray());
            await using (var archive = new LocalRawArchive(root))
            {
                await archive.SaveAsync(first, TestContext.Current.CancellationToken);
                await archive.SaveAsync(torn, TestContext.Current.CancellationToken);
            }
            var segment = Path.Combine(root, "jira", "2026-03-03.rawlog");
            using (var file = new FileStream(segment, FileMode.Open))
            {
                file.SetLength(file.Length - 5); // a power cut in the middle of the second write
            }

            await using var reopened = new LocalRawArchive(root);
            Assert.Null(await reopened.LoadAsync(torn.Key, TestContext.Current.CancellationToken));
            var next = new RawPayload("jira", "next", ReceivedAt, null, "next payload"u8.ToArray());
            await reopened.SaveAsync(next, TestContext.Current.CancellationToken);

            Assert.Equal(first.Content.ToArray(), await reopened.LoadAsync(first.Key, TestContext.Current.CancellationToken));
            Assert.Equal(next.Content.ToArray(), await reopened.LoadAsync(next.Key, TestContext.Current.CancellationToken));
            Assert.Null(await reopened.LoadAsync(torn.Key, TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_corrupted_record_ends_the_readable_part_rather_than_returning_wrong_bytes()
    {
        var root = NewRoot();
        try
        {
            var payload = new RawPayload("jira", "one", ReceivedAt, null, "original bytes"u8.ToArray());
            await using (var archive = new LocalRawArchive(root))
            {
                await archive.SaveAsync(payload, TestContext.Current.CancellationToken);
            }
            var segment = Path.Combine(root, "jira", "2026-03-03.rawlog");
            var bytes = await File.ReadAllBytesAsync(segment, TestContext.Current.CancellationToken);
            bytes[^1] ^= 0xFF;
            await File.WriteAllBytesAsync(segment, bytes, TestContext.Current.CancellationToken);

            await using var reopened = new LocalRawArchive(root);
            Assert.Null(await reopened.LoadAsync(payload.Key, TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string NewRoot() => Path.Combine(Path.GetTempPath(), "raw-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("jira/../../x")]
    [InlineData("/abs")]
    [InlineData("jira//x")]
    public async Task The_local_archive_refuses_keys_that_leave_its_folder(string key)
    {
        var archive = new LocalRawArchive(Path.GetTempPath());
        await Assert.ThrowsAsync<ArgumentException>(() => archive.LoadAsync(key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_S3_archive_puts_and_gets_objects_with_signed_requests()
    {
        await using var s3 = await FakeS3.StartAsync();
        using var client = new AmazonS3Client(new BasicAWSCredentials("AKIDTESTTESTTEST", "test-secret"), new AmazonS3Config
        {
            ServiceURL = s3.Url,
            ForcePathStyle = true,
            AuthenticationRegion = "eu-central-1",
            MaxErrorRetry = 0,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        var archive = new S3RawArchive(client, "rawtickets-bucket");
        var payload = new RawPayload("zendesk", "0192f0c3a1b27c3e", ReceivedAt, "application/json", Encoding.UTF8.GetBytes("{\"subject\":\"Grüße\"}"));

        var key = await archive.SaveAsync(payload, TestContext.Current.CancellationToken);
        var loaded = await archive.LoadAsync(key, TestContext.Current.CancellationToken);
        var missing = await archive.LoadAsync("zendesk/2026-03-03/none", TestContext.Current.CancellationToken);

        Assert.Equal("zendesk/2026-03-03/0192f0c3a1b27c3e", key);
        var put = Assert.Single(s3.Requests, r => r.Method == "PUT");
        Assert.Equal("/rawtickets-bucket/raw/zendesk/2026-03-03/0192f0c3a1b27c3e", put.Path);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST/", put.Authorization);
        Assert.Contains("/eu-central-1/s3/aws4_request", put.Authorization);
        Assert.Equal("zendesk", put.Headers["x-amz-meta-source"]);
        Assert.Equal("application/json", put.Headers["Content-Type"]);
        Assert.Equal(payload.Content.ToArray(), put.Body);
        Assert.Equal(payload.Content.ToArray(), loaded);
        Assert.Null(missing);
    }

    /// <summary>A loopback HTTP server that answers PUT/GET object like S3 and records what the SDK sent.</summary>
    private sealed class FakeS3 : IAsyncDisposable
    {
        public sealed record Request(string Method, string Path, string? Authorization, Dictionary<string, string?> Headers, byte[] Body);

        private readonly HttpListener _listener;
        private readonly ConcurrentDictionary<string, byte[]> _objects = new();
        private readonly Task _loop;

        public string Url { get; }
        public ConcurrentQueue<Request> RequestLog { get; } = new();
        public IReadOnlyList<Request> Requests => RequestLog.ToList();

        private FakeS3(HttpListener listener, string url)
        {
            _listener = listener;
            Url = url;
            _loop = Task.Run(LoopAsync);
        }

        public static Task<FakeS3> StartAsync()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(url);
            listener.Start();
            return Task.FromResult(new FakeS3(listener, url.TrimEnd('/')));
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var path = context.Request.Url!.AbsolutePath;
                var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k], StringComparer.OrdinalIgnoreCase);
                RequestLog.Enqueue(new Request(context.Request.HttpMethod, path, context.Request.Headers["Authorization"], headers, body.ToArray()));

                var response = context.Response;
                if (context.Request.HttpMethod == "PUT")
                {
                    _objects[path] = body.ToArray();
                    response.StatusCode = 200;
                    response.AddHeader("ETag", "\"9b2cf535f27731c974343645a3985328\"");
                }
                else if (context.Request.HttpMethod == "GET" && _objects.TryGetValue(path, out var stored))
                {
                    response.StatusCode = 200;
                    response.ContentType = "application/json";
                    response.ContentLength64 = stored.Length;
                    await response.OutputStream.WriteAsync(stored);
                }
                else
                {
                    var error = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
                    response.StatusCode = 404;
                    response.ContentType = "application/xml";
                    response.ContentLength64 = error.Length;
                    await response.OutputStream.WriteAsync(error);
                }
                response.Close();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
        }
    }
}
