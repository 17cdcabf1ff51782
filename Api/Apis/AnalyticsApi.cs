using System.Globalization;
using AspireTickets.Api.Model;
using AspireTickets.Api.Services;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Infrastructure.Caching;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AspireTickets.Api.Apis;

public static class AnalyticsApi
{
    private const int MaxTrendPoints = 1000;

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/analytics").WithTags("Analytics").RequireAuthorization(TicketsPolicies.Agent);

        api.MapGet("/summary", GetSummary).WithSummary("Counts by status, open backlog, time to first response and to resolution");
        api.MapGet("/priority", GetPriorityDistribution).WithSummary("Tickets per priority");
        api.MapGet("/category", GetCategoryDistribution).WithSummary("Tickets per category");
        api.MapGet("/trends", GetTrends).WithSummary("Created and resolved per day or week in a time zone");
        api.MapGet("/performance", GetPerformance).WithSummary("Time to resolution p50/p90 by priority and category, SLA breach rate");

        return app;
    }

    /// <summary>
    /// Common range parameters: <c>from</c>/<c>to</c> are local dates (inclusive) in <c>timeZone</c>
    /// (IANA or Windows id, default UTC); the reports cover tickets created in that range.
    /// </summary>
    public sealed class RangeQuery
    {
        [FromQuery(Name = "from")] public string? From { get; init; }
        [FromQuery(Name = "to")] public string? To { get; init; }
        [FromQuery(Name = "timeZone")] public string? TimeZone { get; init; }

        internal bool TryParse(TicketValidation.Errors errors, out DateOnly? from, out DateOnly? to, out TimeZoneInfo zone)
        {
            from = ParseDate(errors, "from", From);
            to = ParseDate(errors, "to", To);
            zone = TimeZoneInfo.Utc;
            if (!string.IsNullOrWhiteSpace(TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone.Trim(), out zone!))
            {
                errors.Add("timeZone", $"'{TimeZone}' is not a known time zone (use an IANA id such as Europe/Berlin).");
                zone = TimeZoneInfo.Utc;
            }
            if (from > to)
            {
                errors.Add("to", "to must not be before from.");
            }
            return !errors.Any;
        }

        private static DateOnly? ParseDate(TicketValidation.Errors errors, string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }
            if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors.Add(field, $"'{value}' is not a date of the form yyyy-MM-dd.");
                return null;
            }
            if (date < EarliestDate || date > LatestDate)
            {
                errors.Add(field, $"'{value}' is outside the supported range {EarliestDate:yyyy-MM-dd} to {LatestDate:yyyy-MM-dd}.");
                return null;
            }
            return date;
        }

        // Bounds far from both ends of DateOnly/DateTimeOffset, so that the day arithmetic of the reports (a range's
        // default start 11 weeks back, the end of day in a UTC+14 zone) can never step outside what the types hold.
        private static readonly DateOnly EarliestDate = new(1900, 1, 1);
        private static readonly DateOnly LatestDate = new(2999, 12, 31);
    }

    public static async Task<Results<Ok<AnalyticsSummary>, ValidationProblem>> GetSummary(
        [AsParameters] RangeQuery range, ITicketStore store, TicketsCache cache, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        if (!range.TryParse(errors, out var from, out var to, out var zone))
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        // The dashboard asks for the summary on every refresh; it is cheap to keep and dropped on every API write.
        var key = FormattableString.Invariant($"summary:{from:yyyy-MM-dd}:{to:yyyy-MM-dd}:{zone.Id}");
        var summary = await cache.GetOrCreateAsync(TicketsCache.AnalyticsArea, key, async c =>
        {
            var facts = await store.GetFactsAsync(from is { } f ? StartOfDay(f, zone) : null, to is { } t ? EndOfDay(t, zone) : null, c);
            return TicketAnalytics.Summary(facts);
        }, TicketsCache.AnalyticsExpiration, ct);
        return TypedResults.Ok(summary);
    }

    public static async Task<Results<Ok<IReadOnlyList<DistributionEntry>>, ValidationProblem>> GetPriorityDistribution(
        [AsParameters] RangeQuery range, ITicketStore store, CancellationToken ct)
    {
        var facts = await LoadAsync(range, store, ct);
        return facts.Errors is { } errors ? errors : TypedResults.Ok(TicketAnalytics.PriorityDistribution(facts.Facts));
    }

    public static async Task<Results<Ok<IReadOnlyList<DistributionEntry>>, ValidationProblem>> GetCategoryDistribution(
        [AsParameters] RangeQuery range, ITicketStore store, TicketCommands commands, CancellationToken ct)
    {
        var facts = await LoadAsync(range, store, ct);
        return facts.Errors is { } errors ? errors : TypedResults.Ok(TicketAnalytics.CategoryDistribution(facts.Facts, commands.Taxonomy.Categories));
    }

    public static async Task<Results<Ok<PerformanceReport>, ValidationProblem>> GetPerformance(
        [AsParameters] RangeQuery range, ITicketStore store, TimeProvider time, CancellationToken ct)
    {
        var facts = await LoadAsync(range, store, ct);
        return facts.Errors is { } errors ? errors : TypedResults.Ok(TicketAnalytics.Performance(facts.Facts, time.GetUtcNow()));
    }

    public static async Task<Results<Ok<TrendsReport>, ValidationProblem>> GetTrends(
        [AsParameters] RangeQuery range, [FromQuery(Name = "interval")] string? interval, ITicketStore store, TimeProvider time, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        range.TryParse(errors, out var from, out var to, out var zone);
        var weekly = (interval ?? "day").ToLowerInvariant() switch
        {
            "day" => false,
            "week" => true,
            _ => Invalid(errors, "interval", "Use day or week."),
        };

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var last = to ?? today;
        var first = from ?? last.AddDays(weekly ? -7 * 11 : -29);
        var points = (last.DayNumber - first.DayNumber) / (weekly ? 7 : 1);
        if (points > MaxTrendPoints)
        {
            errors.Add("from", $"The range may span at most {MaxTrendPoints} {(weekly ? "weeks" : "days")}.");
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // Resolved counts need tickets created before the range too, so only the upper bound filters the facts.
        var facts = await store.GetFactsAsync(null, EndOfDay(last, zone), ct);
        return TypedResults.Ok(TicketAnalytics.Trends(facts, first, last, weekly, zone));
    }

    private static async Task<(IReadOnlyList<TicketFacts> Facts, ValidationProblem? Errors)> LoadAsync(RangeQuery range, ITicketStore store, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        if (!range.TryParse(errors, out var from, out var to, out var zone))
        {
            return ([], TypedResults.ValidationProblem(errors.ToDictionary()));
        }
        var facts = await store.GetFactsAsync(from is { } f ? StartOfDay(f, zone) : null, to is { } t ? EndOfDay(t, zone) : null, ct);
        return (facts, null);
    }

    private static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    // The store's upper bound is exclusive, so a local day ends where the next one starts.
    private static DateTimeOffset EndOfDay(DateOnly date, TimeZoneInfo zone) => StartOfDay(date.AddDays(1), zone);

    private static bool Invalid(TicketValidation.Errors errors, string field, string reason)
    {
        errors.Add(field, reason);
        return false;
    }
}
