using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Archive;
using AspireTickets.Domain.Tickets;
using AspireTickets.Ingestion.Pipeline;
using CsvHelper;
using CsvHelper.Configuration;

namespace AspireTickets.Ingestion.Sources.Bulk;

/// <summary>
/// Imports a CSV or JSON Lines file as tickets, streamed in batches (each archived and stored before the next is read),
/// up to <see cref="MaxRows"/> rows. A bad row is reported with its number and field and skipped; good rows are stored.
/// Re-importing a file creates nothing twice: rows are keyed by their key column or, without one, by their content.
/// </summary>
public sealed class BulkImporter(TicketIngestor ingestor, TimeProvider time)
{
    public const string SourceName = "bulk";
    public const int MaxRows = 100_000;
    public const int BatchSize = 500;
    public const int MaxReportedErrors = 1_000;
    public const long DefaultMaxBodyBytes = 256L * 1024 * 1024;
    private const int MaxFieldLength = 100_000;

    public async Task<BulkImportReport> ImportAsync(Stream body, BulkImportRequest request, CancellationToken cancellationToken)
    {
        var report = new BulkImportReport { Format = request.Format == BulkFormat.Csv ? "csv" : "jsonl" };
        var batch = new Batch();
        var rows = request.Format == BulkFormat.Csv ? ReadCsvAsync(body, request, cancellationToken) : ReadJsonLinesAsync(body, cancellationToken);
        await foreach (var row in rows)
        {
            if (row.Number > MaxRows)
            {
                report.AddError(row.Number, "$", $"Row limit of {MaxRows} reached; this and later rows were not imported.");
                break;
            }
            report.Rows++;
            if (row.Error is { } rowError)
            {
                report.AddError(row.Number, rowError.Field, rowError.Reason);
                continue;
            }
            var (ticket, error) = ToTicket(row, request);
            if (error is { } invalid)
            {
                report.AddError(row.Number, invalid.Field, invalid.Reason);
                continue;
            }
            batch.Add(row, ticket!);
            if (batch.Tickets.Count >= BatchSize)
            {
                await FlushAsync(batch, report, cancellationToken);
            }
        }
        await FlushAsync(batch, report, cancellationToken);
        return report;
    }

    private async Task FlushAsync(Batch batch, BulkImportReport report, CancellationToken cancellationToken)
    {
        if (batch.Tickets.Count == 0)
        {
            return;
        }
        var raw = new RawPayload(SourceName, Guid.CreateVersion7().ToString("N"), time.GetUtcNow(), "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(batch.Raw.ToString()));
        var outcomes = await ingestor.CreateManyAsync(raw, batch.Tickets, cancellationToken);
        report.Created += outcomes.Count(o => o.Created);
        report.Existing += outcomes.Count(o => !o.Created) + batch.DuplicatesInBatch;
        batch.Clear();
    }

    private static (IncomingTicket? Ticket, (string Field, string Reason)? Error) ToTicket(BulkRow row, BulkImportRequest request)
    {
        string? Value(string field)
        {
            var column = request.ColumnFor(field);
            return row.Values.TryGetValue(column, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        }

        foreach (var (column, value) in row.Values)
        {
            if (value is not null && value.Contains('\uFFFD', StringComparison.Ordinal))
            {
                return (null, (column, "Not valid UTF-8 text."));
            }
            if (value is { Length: > MaxFieldLength })
            {
                return (null, (column, $"Longer than {MaxFieldLength} characters."));
            }
        }

        var title = Value("title");
        if (title is null)
        {
            return (null, (request.ColumnFor("title"), "Required."));
        }
        var priorityText = Value("priority");
        var priority = ParsePriority(priorityText);
        if (priority is null)
        {
            return (null, (request.ColumnFor("priority"), $"'{Cut(priorityText!)}' is not a priority (low, medium, high, critical)."));
        }
        var createdText = Value("createdAt");
        var created = SourceJson.Time(createdText);
        if (createdText is not null && created is null)
        {
            return (null, (request.ColumnFor("createdAt"), $"'{Cut(createdText)}' is not an ISO 8601 time."));
        }
        var email = Value("reporterEmail");
        if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || email.Length > 320))
        {
            return (null, (request.ColumnFor("reporterEmail"), "Not an e-mail address."));
        }
        var key = Value("key");
        if (key is { Length: > 200 })
        {
            return (null, (request.ColumnFor("key"), "Longer than 200 characters."));
        }
        var description = Value("description") ?? "";
        key ??= "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{title}\u001f{description}\u001f{createdText}\u001f{email}")))[..32];

        var name = Value("reporterName");
        return (new IncomingTicket
        {
            Source = TicketSources.Import,
            SourceKey = "import:" + key,
            Title = SourceLimits.Title(title),
            Description = description,
            Priority = priority.Value,
            Reporter = name is null && email is null ? null : new Person(name, email),
            Organization = Value("organization"),
            Labels = SourceLimits.Labels((Value("labels") ?? "").Split([',', ';', '|'], StringSplitOptions.RemoveEmptyEntries)),
            CreatedAt = created,
        }, null);
    }

    private static TicketPriority? ParsePriority(string? text) => text?.ToLowerInvariant() switch
    {
        null => TicketPriority.Medium,
        "low" or "lowest" or "minor" or "trivial" or "p4" or "p5" or "4" => TicketPriority.Low,
        "medium" or "normal" or "major" or "p3" or "3" => TicketPriority.Medium,
        "high" or "p2" or "2" => TicketPriority.High,
        "critical" or "urgent" or "highest" or "blocker" or "p1" or "1" => TicketPriority.Critical,
        _ => null,
    };

    private static async IAsyncEnumerable<BulkRow> ReadCsvAsync(Stream body, BulkImportRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var badData = false;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = request.Delimiter.ToString(),
            BadDataFound = _ => badData = true,
            MissingFieldFound = null,
            HeaderValidated = null,
            TrimOptions = TrimOptions.None,
            MaxFieldSize = MaxFieldLength * 2,
        };
        using var csv = new CsvReader(reader, config);
        string[] header;
        if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } h)
        {
            yield break;
        }
        header = h;
        var headerLine = csv.Parser.RawRecord;
        var number = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more;
            string? failure = null;
            try
            {
                badData = false;
                more = await csv.ReadAsync();
            }
            catch (CsvHelperException e) when (e is not BadDataException)
            {
                more = false;
                failure = "Unreadable CSV: " + e.GetType().Name;
            }
            if (failure is not null)
            {
                yield return new BulkRow(number + 1, new Dictionary<string, string?>(), "", ("$", failure));
                yield break;
            }
            if (!more)
            {
                yield break;
            }
            number++;
            // The parser processes fields lazily: bad data is only detected once the fields are read.
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                values[header[i]] = i < csv.Parser.Count ? csv.Parser[i] : null;
            }
            if (badData)
            {
                yield return new BulkRow(number, new Dictionary<string, string?>(), "", ("$", "Malformed CSV (a quote in an unquoted field or an unterminated quoted field)."));
                continue;
            }
            yield return new BulkRow(number, values, number == 1 ? headerLine + csv.Parser.RawRecord : csv.Parser.RawRecord, null);
        }
    }

    private static async IAsyncEnumerable<BulkRow> ReadJsonLinesAsync(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            number++;
            Dictionary<string, string?>? values = null;
            string? error = null;
            try
            {
                using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    error = "Each line must be a JSON object.";
                }
                else
                {
                    values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        values[property.Name] = property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Array => string.Join(',', property.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                            JsonValueKind.Null => null,
                            _ => property.Value.GetRawText(),
                        };
                    }
                }
            }
            catch (JsonException e)
            {
                error = $"Not valid JSON (byte {e.BytePositionInLine}).";
            }
            yield return error is null
                ? new BulkRow(number, values!, line + "\n", null)
                : new BulkRow(number, new Dictionary<string, string?>(), "", ("$", error));
        }
    }

    private static string Cut(string value) => value.Length <= 40 ? value : value[..40];

    private sealed record BulkRow(int Number, Dictionary<string, string?> Values, string Raw, (string Field, string Reason)? Error);

    private sealed class Batch
    {
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        public List<IncomingTicket> Tickets { get; } = [];
        public StringBuilder Raw { get; } = new();
        public int DuplicatesInBatch { get; private set; }

        public void Add(BulkRow row, IncomingTicket ticket)
        {
            Raw.Append(row.Raw);
            if (!_keys.Add(ticket.SourceKey))
            {
                DuplicatesInBatch++; // the same key twice in a file is one ticket
                return;
            }
            Tickets.Add(ticket);
        }

        public void Clear()
        {
            _keys.Clear();
            Tickets.Clear();
            Raw.Clear();
            DuplicatesInBatch = 0;
        }
    }
}

public sealed class BulkImportReport
{
    public string Format { get; set; } = "";
    public int Rows { get; set; }
    public int Created { get; set; }
    public int Existing { get; set; }
    public int Failed { get; set; }
    public List<BulkRowError> Errors { get; } = [];
    public bool ErrorsTruncated { get; set; }

    internal void AddError(int row, string field, string message)
    {
        Failed++;
        if (Errors.Count < BulkImporter.MaxReportedErrors)
        {
            Errors.Add(new BulkRowError(row, field, message));
        }
        else
        {
            ErrorsTruncated = true;
        }
    }
}

public sealed record BulkRowError(int Row, string Field, string Message);
