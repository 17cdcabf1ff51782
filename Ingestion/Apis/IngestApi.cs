using System.Buffers;
using AspireTickets.Domain.Archive;
using AspireTickets.Ingestion.Pipeline;
using AspireTickets.Ingestion.Security;
using AspireTickets.Ingestion.Sources;
using AspireTickets.Ingestion.Sources.Bulk;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AspireTickets.Ingestion.Apis;

/// <summary>
/// <c>/ingest/{source}</c>: every webhook goes verify → parse → archive → store (+ outbox event) → 202. Sources
/// authenticate with their own secrets (not the API's keys); one without a configured secret does not exist (404).
/// </summary>
public static class IngestApi
{
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        // Sources prove themselves with their own secrets (checked per endpoint), not with the API's keys or users.
        var group = app.MapGroup("/ingest").WithTags("Ingestion").AllowAnonymous();

        foreach (var source in app.ServiceProvider.GetServices<ITicketSource>())
        {
            group.MapPost("/" + source.Name, (HttpContext context, TicketIngestor ingestor, IOptionsMonitor<IngestionOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
                    HandleWebhookAsync(source, context, ingestor, options.CurrentValue, time, cancellationToken))
                .WithName("Ingest" + char.ToUpperInvariant(source.Name[0]) + source.Name[1..])
                .WithMetadata(new RequestSizeLimitAttribute(source.DefaultMaxBodyBytes))
                .DisableAntiforgery();
        }

        group.MapPost("/bulk", BulkImportAsync)
            .WithName("IngestBulk")
            .WithMetadata(new RequestSizeLimitAttribute(BulkImporter.DefaultMaxBodyBytes))
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Accepted<IngestResponse>, Accepted<IgnoredResponse>, ValidationProblem, ProblemHttpResult>> HandleWebhookAsync(
        ITicketSource source, HttpContext context, TicketIngestor ingestor, IngestionOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var sourceOptions = options.For(source.Name);
        if (sourceOptions is null || !source.IsEnabled(sourceOptions))
        {
            return Problems.Disabled(source.Name);
        }

        var limit = sourceOptions.MaxBodyBytes ?? source.DefaultMaxBodyBytes;
        var body = await ReadBodyAsync(context, limit, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge(limit);
        }

        var now = time.GetUtcNow();
        var verification = source.Verify(context.Request, body, sourceOptions, now);
        if (!verification.Ok)
        {
            return Problems.Unauthorized(verification.Failure!);
        }

        var parsed = source.Parse(context.Request, body, now);
        switch (parsed)
        {
            case ParseResult.Invalid invalid:
                return Problems.Invalid(invalid.Field, invalid.Reason);
            case ParseResult.Ignored ignored:
                return TypedResults.Accepted((string?)null, new IgnoredResponse(true, ignored.Reason));
        }

        var items = ((ParseResult.Accepted)parsed).Items;
        var raw = new RawPayload(source.Name, Guid.CreateVersion7().ToString("N"), now, context.Request.ContentType, body);
        var outcomes = await ingestor.IngestAsync(raw, items, cancellationToken);
        var first = outcomes[0];
        return TypedResults.Accepted(
            $"/api/tickets/{first.TicketId}",
            new IngestResponse(first.TicketId, first.Created, outcomes.Select(o => new IngestedTicket(o.TicketId, o.Created, o.Updated)).ToList()));
    }

    private static async Task<Results<Ok<BulkImportReport>, ValidationProblem, ProblemHttpResult>> BulkImportAsync(
        HttpContext context, BulkImporter importer, IOptionsMonitor<IngestionOptions> options, CancellationToken cancellationToken)
    {
        var sourceOptions = options.CurrentValue.For(BulkImporter.SourceName);
        if (sourceOptions is null || string.IsNullOrEmpty(sourceOptions.Token))
        {
            return Problems.Disabled(BulkImporter.SourceName);
        }
        if (!Signatures.BearerEquals(sourceOptions.Token, context.Request.Headers.Authorization))
        {
            return Problems.Unauthorized("Authorization must be 'Bearer <token>' with the bulk import token.");
        }

        var limit = sourceOptions.MaxBodyBytes ?? BulkImporter.DefaultMaxBodyBytes;
        if (!TrySetBodyLimit(context, limit))
        {
            return Problems.TooLarge(limit);
        }

        var request = BulkImportRequest.FromQuery(context.Request.Query, context.Request.ContentType);
        if (request.Error is { } error)
        {
            return Problems.Invalid(error.Field, error.Reason);
        }
        try
        {
            await using var body = new LimitedReadStream(context.Request.Body, limit);
            var report = await importer.ImportAsync(body, request, cancellationToken);
            return TypedResults.Ok(report);
        }
        catch (BodyTooLargeException)
        {
            return Problems.TooLarge(limit);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.TooLarge(limit);
        }
    }

    /// <summary>
    /// Reads the whole body (signatures cover the exact bytes) but never more than <paramref name="limit"/>:
    /// Kestrel enforces the limit itself; hosts that do not (TestServer, some proxies) are stopped here.
    /// Returns null when the body is too large.
    /// </summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        if (!TrySetBodyLimit(context, limit))
        {
            return null;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var body = new MemoryStream(context.Request.ContentLength is { } length and > 0 ? (int)length : 4096);
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (body.Length + read > limit)
                {
                    return null;
                }
                body.Write(buffer, 0, read);
            }
            return body.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TrySetBodyLimit(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return false;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        return true;
    }
}

public sealed record IngestResponse(Guid TicketId, bool Created, IReadOnlyList<IngestedTicket> Tickets);

public sealed record IngestedTicket(Guid TicketId, bool Created, bool Updated);

public sealed record IgnoredResponse(bool Ignored, string Reason);

/// <summary>The RFC 9457 problems ingestion answers with.</summary>
internal static class Problems
{
    public static ProblemHttpResult Disabled(string source) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Source not enabled",
        detail: $"Ingestion from '{source}' is not configured (Ingestion:Sources:{source}).");

    public static ProblemHttpResult Unauthorized(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Delivery not authenticated",
        detail: detail);

    public static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Body too large",
        detail: $"The body exceeds this source's limit of {limit} bytes.");

    public static ValidationProblem Invalid(string field, string reason) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [field] = [reason] },
        title: "Malformed delivery",
        detail: $"{field}: {reason}");
}
