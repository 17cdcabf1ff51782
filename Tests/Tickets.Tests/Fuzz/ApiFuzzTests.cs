using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AspireTickets.Tests.Api;
using CsCheck;

namespace AspireTickets.Tests.Fuzz;

/// <summary>
/// Issue 17 item 6: hostile requests over every operation of the OpenAPI document, on a real Kestrel, as an admin (so
/// that requests get past authorization to the code that reads them) with the sources' tokens. First the corpus of
/// <see cref="HostileValues"/> in every path segment, query parameter and body of every operation; then random
/// requests drawn by CsCheck. Every answer must be below 500 with the connection intact, and a refused request must
/// leave the <see cref="StateFingerprint"/> as it was. The counts per status are printed.
/// </summary>
public sealed class ApiFuzzTests : StaffTestBase
{
    private const string SourceToken = "fuzz-source-token-0123456789";

    /// <summary>Where the last run's counts per status are written (printed by <c>.ci/run</c>).</summary>
    public static readonly string SummaryPath = Path.Combine(AppContext.BaseDirectory, "TestResults", "fuzz-summary.txt");

    private readonly Dictionary<int, int> _statuses = [];
    private HttpClient _client = null!;
    private StateFingerprint _fingerprint = null!;
    private string? _baseline;
    private int _checkedRefusals;

    public ApiFuzzTests()
    {
        // A real server, so that what Kestrel does with a request (and any reset) is part of what is tested.
        App.UseKestrel(0);
        foreach (var (source, setting) in new[] { ("jira", "Secret"), ("zendesk", "Secret"), ("sentry", "Secret"), ("alertmanager", "Token"), ("email", "Token"), ("bulk", "Token") })
        {
            App.Settings[$"Ingestion:Sources:{source}:{setting}"] = SourceToken;
        }
    }

    [Fact]
    public async Task No_hostile_request_gets_a_5xx_breaks_the_connection_or_changes_state_when_refused()
    {
        _client = As("root");
        _client.DefaultRequestHeaders.Authorization = new("Bearer", SourceToken);
        _fingerprint = new StateFingerprint(As("root"));
        var (operations, document) = await ProductOperations.ReadAsync(_client, Ct);
        var known = await KnownStateAsync();
        _baseline = await _fingerprint.TakeAsync(Ct);

        var corpus = CorpusRequests(operations, document, known).ToList();
        foreach (var request in corpus)
        {
            await SendAndCheckAsync(request);
        }

        var random = RandomRequest(operations, document, known);
        await random.SampleAsync(SendAndCheckAsync, iter: 1_500, threads: 1, print: r => r.ToString());

        var summary = $"fuzz: {corpus.Count} corpus + 1500 random requests over {operations.Count} operations; statuses "
            + string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))
            + $"; {_checkedRefusals} refused writes checked against the state fingerprint";
        // dotnet test shows a passing test's output only when verbose: the summary also goes to a file CI prints.
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Directory.CreateDirectory(Path.GetDirectoryName(SummaryPath)!);
        await File.WriteAllTextAsync(SummaryPath, summary + Environment.NewLine, Ct);
        Assert.True(_statuses.Keys.Any(s => s is >= 200 and < 300), "no request succeeded: the suite did not reach the product");
    }

    /// <summary>Ids that exist, so that mutations hit real tickets and articles too, not only 404s.</summary>
    private sealed record Known(Guid TicketId, string Version);

    private async Task<Known> KnownStateAsync()
    {
        var created = await _client.PostAsync("/api/tickets", Json("{\"title\":\"Printer jams on tray 2\",\"description\":\"Since Monday.\"}"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ticket = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!;
        return new Known(ticket["id"]!.GetValue<Guid>(), created.Headers.ETag?.Tag ?? "\"1\"");
    }

    private async Task SendAndCheckAsync(FuzzRequest request)
    {
        HttpStatusCode status;
        string body;
        try
        {
            using var message = request.ToMessage();
            using var response = await _client.SendAsync(message, Ct);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(Ct);
        }
        catch (HttpRequestException ex)
        {
            throw new Xunit.Sdk.XunitException($"{request}: the connection failed ({ex.HttpRequestError}: {ex.Message})");
        }
        _statuses[(int)status] = _statuses.GetValueOrDefault((int)status) + 1;
        if ((int)status >= 500)
        {
            throw new Xunit.Sdk.XunitException($"{request}: {(int)status} {body[..Math.Min(body.Length, 500)]}");
        }
        if (!request.Mutates)
        {
            return;
        }
        if ((int)status >= 400)
        {
            _checkedRefusals++;
            if (await _fingerprint.TakeAsync(Ct) != _baseline)
            {
                throw new Xunit.Sdk.XunitException($"{request}: refused with {(int)status} but changed the state ({body[..Math.Min(body.Length, 300)]})");
            }
            return;
        }
        _baseline = status == HttpStatusCode.Accepted ? await SettledFingerprintAsync() : await _fingerprint.TakeAsync(Ct);
    }

    /// <summary>
    /// The state once a 202 has finished its work: what it accepted goes on after the answer (a workflow run analyzes
    /// the ticket in the background), and its changes must not be blamed on the next request.
    /// </summary>
    private async Task<string> SettledFingerprintAsync()
    {
        var previous = await _fingerprint.TakeAsync(Ct);
        for (var quiet = 0; quiet < 2;)
        {
            await Task.Delay(100, Ct);
            var now = await _fingerprint.TakeAsync(Ct);
            quiet = now == previous ? quiet + 1 : 0;
            previous = now;
        }
        return previous;
    }

    private static IEnumerable<FuzzRequest> CorpusRequests(IReadOnlyList<ApiOperation> operations, JsonObject document, Known known)
    {
        foreach (var operation in operations)
        {
            var sample = operation.TakesBody ? SchemaSample.For(document, operation.BodySchema) ?? new JsonObject() : null;
            foreach (var parameter in operation.PathParameters)
            {
                foreach (var value in HostileValues.Strings)
                {
                    yield return Build(operation, known, path: p => p == parameter ? value : null, body: sample?.ToJsonString());
                }
            }
            foreach (var parameter in operation.QueryParameters)
            {
                foreach (var value in HostileValues.Strings)
                {
                    yield return Build(operation, known, query: [(parameter.Name, value)], body: sample?.ToJsonString());
                }
            }
            if (sample is null)
            {
                continue;
            }
            foreach (var (_, raw, contentType) in HostileValues.Bodies)
            {
                yield return Build(operation, known, rawBody: (raw, contentType));
            }
            for (var i = 0; i < HostileValues.JsonValues.Length; i++)
            {
                yield return Build(operation, known, body: Mutate(sample, i, HostileValues.JsonValues[i]));
            }
        }
    }

    /// <summary>Random requests: an operation, each slot plausible, from the corpus, or random text, in any mix.</summary>
    private static Gen<FuzzRequest> RandomRequest(IReadOnlyList<ApiOperation> operations, JsonObject document, Known known)
    {
        var text = Gen.Int[0, 40].SelectMany(length => Gen.Int[0, 0xFFFF].Array[length]).Select(chars => new string([.. chars.Select(c => (char)c)]));
        var slot = Gen.Frequency((2, Gen.Const((string?)null)), (2, Gen.Int[0, HostileValues.Strings.Length - 1].Select(i => (string?)HostileValues.Strings[i])), (1, text.Select(t => (string?)t)));
        return Gen.Select(Gen.Int[0, operations.Count - 1], slot.Array[4], Gen.Int[0, 3], Gen.Int[0, 1_000], text, (index, slots, bodyKind, pick, junk) =>
        {
            var operation = operations[index];
            var parameters = operation.PathParameters.ToList();
            string? PathValue(ApiParameter parameter) => slots[parameters.IndexOf(parameter) % slots.Length];
            var query = operation.QueryParameters.Select((q, i) => (q.Name, Value: slots[(i + 1) % slots.Length])).Where(q => q.Value is not null).Select(q => (q.Name, q.Value!)).ToList();
            if (!operation.TakesBody)
            {
                return Build(operation, known, PathValue, query);
            }
            var sample = SchemaSample.For(document, operation.BodySchema) ?? new JsonObject();
            return bodyKind switch
            {
                0 => Build(operation, known, PathValue, query, body: sample.ToJsonString()),
                1 => Build(operation, known, PathValue, query, body: Mutate(sample, pick, HostileValues.JsonValues[pick % HostileValues.JsonValues.Length])),
                2 => Build(operation, known, PathValue, query, body: Mutate(sample, pick, JsonValue.Create(junk).ToJsonString())),
                _ => Build(operation, known, PathValue, query, rawBody: (HostileValues.Bodies[pick % HostileValues.Bodies.Length].Body, HostileValues.Bodies[pick % HostileValues.Bodies.Length].ContentType)),
            };
        });
    }

    /// <summary>The sample with its <paramref name="index"/>-th member (cycling) replaced by the JSON text <paramref name="value"/>.</summary>
    private static string Mutate(JsonNode sample, int index, string value)
    {
        var copy = sample.DeepClone();
        var members = SchemaSample.Members(copy).ToList();
        if (members.Count == 0)
        {
            return value;
        }
        // Spliced in as text: JsonNode cannot hold some of the values (a lone surrogate escape, 1e309).
        const string Marker = "\u0001fuzz-value\u0001";
        members[index % members.Count].ReplaceWith(JsonValue.Create(Marker));
        return copy.ToJsonString().Replace(JsonValue.Create(Marker).ToJsonString(), value);
    }

    private static FuzzRequest Build(ApiOperation operation, Known known, Func<ApiParameter, string?>? path = null,
        IReadOnlyList<(string Name, string Value)>? query = null, string? body = null, (byte[] Body, string ContentType)? rawBody = null)
    {
        // Unset path slots name the known ticket, so that the rest of the request is checked against a real one.
        var pathAndQuery = operation.PathWith(p => path?.Invoke(p) ?? (p.Format == "uuid" ? known.TicketId.ToString() : ApiOperation.PlausibleValue(p)));
        if (query is { Count: > 0 })
        {
            pathAndQuery += "?" + string.Join("&", query.Select(q => Uri.EscapeDataString(q.Name) + "=" + Uri.EscapeDataString(q.Value)));
        }
        var (bytes, contentType) = rawBody ?? (body is null ? (null!, null!) : (Encoding.UTF8.GetBytes(body), "application/json"));
        return new FuzzRequest(operation.Key, operation.Method, pathAndQuery, bytes, contentType, operation.Method is "PUT" or "PATCH" ? known.Version : null);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
