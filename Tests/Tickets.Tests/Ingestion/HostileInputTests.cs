using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Storage;

namespace AspireTickets.Tests.Ingestion;

/// <summary>
/// Thousands of generated bad requests against every ingest endpoint: malformed, oversized, wrongly signed, wrongly
/// encoded and replayed. None may cause a 5xx, and every stored ticket must belong to a request that was accepted.
/// </summary>
public class HostileInputTests
{
    private const int RoundsPerEndpoint = 500;

    [Fact]
    public async Task Generated_hostile_requests_never_cause_5xx_or_store_a_rejected_ticket()
    {
        await using var host = await IngestionTestHost.StartAsync(sqlite: true, settings: new()
        {
            // Small limits so "oversized" is cheap to generate; the guard is the same at any size.
            ["Ingestion:Sources:jira:MaxBodyBytes"] = "65536",
            ["Ingestion:Sources:zendesk:MaxBodyBytes"] = "65536",
            ["Ingestion:Sources:sentry:MaxBodyBytes"] = "65536",
            ["Ingestion:Sources:alertmanager:MaxBodyBytes"] = "65536",
            ["Ingestion:Sources:email:MaxBodyBytes"] = "65536",
            ["Ingestion:Sources:bulk:MaxBodyBytes"] = "65536",
        });
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(20260302);
        var generators = new (string Endpoint, Func<Random, int, HttpRequestMessage> Make)[]
        {
            ("jira", (r, i) => JiraRequest(r, i)),
            ("zendesk", (r, i) => ZendeskRequest(host, r, i)),
            ("sentry", (r, i) => SentryRequest(host, r, i)),
            ("alertmanager", (r, i) => AlertmanagerRequest(r, i)),
            ("email", (r, i) => EmailRequest(r, i)),
            ("bulk", (r, i) => BulkRequest(r, i)),
        };

        var requests = new List<(string Endpoint, HttpRequestMessage Request)>();
        foreach (var (endpoint, make) in generators)
        {
            for (var i = 0; i < RoundsPerEndpoint; i++)
            {
                requests.Add((endpoint, make(random, i)));
            }
        }

        var accepted = new HashSet<Guid>();
        var importedRows = 0;
        var statusCounts = new Dictionary<int, int>();
        var serverErrors = new List<string>();
        foreach (var chunk in requests.Chunk(8))
        {
            var responses = await Task.WhenAll(chunk.Select(async c =>
            {
                var response = await host.Client.SendAsync(c.Request, ct);
                return (c.Endpoint, Response: response, Body: await response.Content.ReadAsStringAsync(ct));
            }));
            foreach (var (endpoint, response, body) in responses)
            {
                var status = (int)response.StatusCode;
                statusCounts[status] = statusCounts.GetValueOrDefault(status) + 1;
                if (status >= 500)
                {
                    serverErrors.Add($"{endpoint}: {status} {body[..Math.Min(300, body.Length)]}");
                }
                else if (status is 200 or 202)
                {
                    using var json = JsonDocument.Parse(body);
                    if (json.RootElement.TryGetProperty("tickets", out var tickets))
                    {
                        foreach (var t in tickets.EnumerateArray())
                        {
                            accepted.Add(t.GetProperty("ticketId").GetGuid());
                        }
                    }
                    if (json.RootElement.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.Number)
                    {
                        importedRows += created.GetInt32();
                    }
                }
                else
                {
                    Assert.True(status is 400 or 401 or 404 or 413, $"{endpoint}: unexpected {status}");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine("hostile requests by status: " + string.Join(", ", statusCounts.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}")));
        Assert.Empty(serverErrors);
        Assert.Equal(RoundsPerEndpoint * generators.Length, statusCounts.Values.Sum());
        // Every kind of rejection really happened.
        Assert.True(statusCounts.GetValueOrDefault(400) > 100, "400s: " + statusCounts.GetValueOrDefault(400));
        Assert.True(statusCounts.GetValueOrDefault(401) > 100, "401s: " + statusCounts.GetValueOrDefault(401));
        Assert.True(statusCounts.GetValueOrDefault(413) > 30, "413s: " + statusCounts.GetValueOrDefault(413));

        var stored = new List<AspireTickets.Domain.Tickets.Ticket>();
        for (var page = 1; ; page++)
        {
            var result = await host.Store.QueryAsync(new TicketQuery { Page = page, PageSize = TicketQuery.MaxPageSize, IncludeArchived = true }, ct);
            stored.AddRange(result.Items);
            if (stored.Count >= result.TotalCount || result.Items.Count == 0)
            {
                break;
            }
        }
        var webhookTickets = stored.Where(t => t.Source != "import").ToList();
        Assert.All(webhookTickets, t => Assert.Contains(t.Id, accepted));
        Assert.Equal(importedRows, stored.Count(t => t.Source == "import"));
        Assert.NotEmpty(webhookTickets); // the generator's valid controls went through
    }

    private enum Attack
    {
        Valid,
        Garbage,
        Mutated,
        WrongSignature,
        Oversized,
        Latin1,
        Replayed,
        BadHeaders,
    }

    private static Attack Pick(Random random, int i) => (Attack)(i % 8 == 0 ? 0 : random.Next(1, 8));

    private static HttpRequestMessage JiraRequest(Random random, int i)
    {
        var attack = Pick(random, i);
        var body = attack switch
        {
            Attack.Valid or Attack.Replayed => Payloads.JiraIssueCreated($"HOST-{(attack == Attack.Replayed ? 1 : i)}"),
            Attack.Garbage => Garbage(random),
            Attack.Mutated => Mutate(random, Payloads.JiraIssueCreated($"MUT-{i}")),
            Attack.Oversized => Payloads.JiraIssueCreated($"BIG-{i}", summary: new string('A', 70_000)),
            _ => Payloads.JiraIssueCreated($"ENC-{i}"),
        };
        var bytes = attack == Attack.Latin1 ? Encoding.Latin1.GetBytes(body) : Encoding.UTF8.GetBytes(body);
        var request = Raw("/ingest/jira", bytes, "application/json");
        var signature = attack switch
        {
            Attack.WrongSignature => "sha256=" + Convert.ToHexStringLower(RandomBytes(random, 32)),
            Attack.BadHeaders => random.Next(3) switch { 0 => "sha256=zz", 1 => new string('f', 10_000), _ => "md5=abc" },
            _ => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(IngestionTestHost.JiraSecret), bytes)),
        };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature", signature);
        return request;
    }

    private static HttpRequestMessage ZendeskRequest(IngestionTestHost host, Random random, int i)
    {
        var attack = Pick(random, i);
        var body = attack switch
        {
            Attack.Valid => Payloads.ZendeskTicketCreated((100_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Attack.Garbage => Garbage(random),
            Attack.Mutated => Mutate(random, Payloads.ZendeskTicketCreated((200_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            Attack.Oversized => Payloads.ZendeskTicketCreated(subject: new string('B', 70_000)),
            _ => Payloads.ZendeskTicketCreated((300_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        var bytes = attack == Attack.Latin1 ? Encoding.Latin1.GetBytes(body) : Encoding.UTF8.GetBytes(body);
        var signedAt = attack == Attack.Replayed ? host.Time.GetUtcNow().AddMinutes(-random.Next(6, 600)) : host.Time.GetUtcNow();
        var timestamp = attack == Attack.BadHeaders ? "not-a-time" : signedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var secret = attack == Attack.WrongSignature ? "wrong" : IngestionTestHost.ZendeskSecret;
        var request = Raw("/ingest/zendesk", bytes, "application/json");
        request.Headers.TryAddWithoutValidation("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("X-Zendesk-Webhook-Signature", attack == Attack.BadHeaders && random.Next(2) == 0
            ? "%%%not base64%%%"
            : Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp).Concat(bytes).ToArray())));
        return request;
    }

    private static HttpRequestMessage SentryRequest(IngestionTestHost host, Random random, int i)
    {
        var attack = Pick(random, i);
        var body = attack switch
        {
            Attack.Valid => Payloads.SentryEventAlert((5_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Attack.Garbage => Garbage(random),
            Attack.Mutated => Mutate(random, Payloads.SentryEventAlert((6_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            Attack.Oversized => Payloads.SentryEventAlert().Replace("division by zero", new string('C', 70_000), StringComparison.Ordinal),
            _ => Payloads.SentryEventAlert((7_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        var bytes = attack == Attack.Latin1 ? Encoding.Latin1.GetBytes(body.Replace("division", "divisiön", StringComparison.Ordinal)) : Encoding.UTF8.GetBytes(body);
        var signedAt = attack == Attack.Replayed ? host.Time.GetUtcNow().AddMinutes(-random.Next(6, 600)) : host.Time.GetUtcNow();
        var request = Raw("/ingest/sentry", bytes, "application/json");
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Resource", attack == Attack.BadHeaders ? new string('r', random.Next(1, 5000)) : "event_alert");
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Timestamp", attack == Attack.BadHeaders ? "NaN" : signedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var secret = attack == Attack.WrongSignature ? "wrong" : IngestionTestHost.SentrySecret;
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        return request;
    }

    private static HttpRequestMessage AlertmanagerRequest(Random random, int i)
    {
        var attack = Pick(random, i);
        var fingerprint = $"{i:x8}{random.Next():x8}";
        var body = attack switch
        {
            Attack.Valid or Attack.Replayed => Payloads.Alertmanager(fingerprint: attack == Attack.Replayed ? "feedfeedfeedfeed" : fingerprint),
            Attack.Garbage => Garbage(random),
            Attack.Mutated => Mutate(random, Payloads.Alertmanager(fingerprint: fingerprint)),
            Attack.Oversized => Payloads.Alertmanager().Replace("5xx ratio", new string('D', 70_000), StringComparison.Ordinal),
            _ => Payloads.Alertmanager(fingerprint: fingerprint).Replace("Checkout", "Kassé", StringComparison.Ordinal),
        };
        var bytes = attack == Attack.Latin1 ? Encoding.Latin1.GetBytes(body) : Encoding.UTF8.GetBytes(body);
        var request = Raw("/ingest/alertmanager", bytes, "application/json");
        var auth = attack switch
        {
            Attack.WrongSignature => "Bearer " + Convert.ToBase64String(RandomBytes(random, 16)),
            Attack.BadHeaders => random.Next(3) switch { 0 => "Basic YWRtaW46YWRtaW4=", 1 => "Bearer", _ => "Bearer " + new string('x', 5000) },
            _ => "Bearer " + IngestionTestHost.AlertmanagerToken,
        };
        request.Headers.TryAddWithoutValidation("Authorization", auth);
        return request;
    }

    private static HttpRequestMessage EmailRequest(Random random, int i)
    {
        var attack = Pick(random, i);
        var message = attack switch
        {
            Attack.Valid or Attack.Replayed => Payloads.HtmlEmail(attack == Attack.Replayed ? "replayed@x.example" : $"m{i}@x.example"),
            Attack.Garbage => Garbage(random),
            Attack.Mutated => Mutate(random, Payloads.HtmlEmail($"mut{i}@x.example")),
            Attack.Oversized => Payloads.HtmlEmail($"big{i}@x.example").Replace("Bonjour,", new string('E', 70_000), StringComparison.Ordinal),
            Attack.BadHeaders => $"From: \r\nMessage-ID: <{new string('z', 600)}>\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n",
            _ => Payloads.HtmlEmail($"enc{i}@x.example"),
        };
        var bytes = attack == Attack.Latin1 ? Encoding.Latin1.GetBytes(message.Replace("charset=\"utf-8\"", "charset=\"x-unknown-ζ\"", StringComparison.Ordinal)) : Encoding.UTF8.GetBytes(message);
        var request = Raw("/ingest/email", bytes, "message/rfc822");
        request.Headers.TryAddWithoutValidation("Authorization", attack == Attack.WrongSignature ? "Bearer guess" : "Bearer " + IngestionTestHost.EmailToken);
        return request;
    }

    private static HttpRequestMessage BulkRequest(Random random, int i)
    {
        var attack = Pick(random, i);
        var content = attack switch
        {
            Attack.Valid or Attack.Replayed => $"id,title,priority\nrow-{(attack == Attack.Replayed ? 0 : i)},Printer offline,{(random.Next(2) == 0 ? "high" : "low")}\n",
            Attack.Garbage => Garbage(random),
            Attack.Mutated => Mutate(random, $"id,title,description,priority,createdAt\nm-{i},\"Quoted, title\",\"multi\nline\",urgent,2026-01-01T00:00:00Z\nm2-{i},x,y,z,not-a-date\n"),
            Attack.Oversized => "id,title\n" + string.Concat(Enumerable.Range(0, 3_000).Select(n => $"big-{i}-{n},{new string('F', 30)}\n")),
            _ => $"id,title\nenc-{i},Caf\u00e9 \u00fcber alles\n",
        };
        var bytes = attack == Attack.Latin1 ? Encoding.Latin1.GetBytes(content) : Encoding.UTF8.GetBytes(content);
        var query = attack == Attack.BadHeaders ? random.Next(3) switch { 0 => "?format=xml", 1 => "?format=csv&map=title", _ => "?format=csv&delimiter=xx" } : random.Next(4) == 0 ? "?format=jsonl" : "?format=csv";
        var request = Raw("/ingest/bulk" + query, bytes, "text/csv");
        request.Headers.TryAddWithoutValidation("Authorization", attack == Attack.WrongSignature ? "Bearer nope" : "Bearer " + IngestionTestHost.BulkToken);
        return request;
    }

    private static HttpRequestMessage Raw(string path, byte[] body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }

    private static string Garbage(Random random)
    {
        string[] shapes =
        [
            "", "null", "[]", "\"text\"", "{", "}", "{\"a\":", "{\"webhookEvent\":123}", "{\"version\":\"4\",\"alerts\":[null,1,\"x\"]}",
            new string('[', 5_000), "{\"issue\":{\"fields\":{\"description\":{\"type\":\"doc\",\"content\":" + new string('[', 100) + "}}}}",
            "\u0000\u0001\u0002", "<xml/>", "From: a@b.c\r\n\r\n", "id,title\n\"unterminated", "\uFEFF{}",
        ];
        return random.Next(3) == 0
            ? Encoding.Latin1.GetString(RandomBytes(random, random.Next(1, 2_000)))
            : shapes[random.Next(shapes.Length)];
    }

    private const string Inserted = "{}[]\",:\\\u0000é";

    private static string Mutate(Random random, string text)
    {
        var chars = text.ToCharArray().ToList();
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && chars.Count > 0; e++)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.RemoveRange(at, Math.Min(chars.Count - at, random.Next(1, 40))); break;
                case 1: chars.Insert(at, Inserted[random.Next(Inserted.Length)]); break;
                case 2: chars[at] = (char)random.Next(0x20, 0x7f); break;
                default: chars.RemoveRange(at, chars.Count - at); break;
            }
        }
        return new string([.. chars]);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
