using System.Globalization;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using Microsoft.AspNetCore.Mvc;
using AspireTickets.Domain.Text;

namespace AspireTickets.Api.Model;

/// <summary>
/// Query string of <c>GET /api/tickets</c>. Bound as plain strings and parsed here so that a bad value
/// yields a validation problem naming the parameter instead of a bare 400.
/// </summary>
public sealed class TicketListQuery
{
    [FromQuery(Name = "status")] public string[]? Status { get; init; }
    [FromQuery(Name = "priority")] public string[]? Priority { get; init; }
    [FromQuery(Name = "category")] public string? Category { get; init; }
    [FromQuery(Name = "assignee")] public string? Assignee { get; init; }
    [FromQuery(Name = "label")] public string? Label { get; init; }
    [FromQuery(Name = "q")] public string? Text { get; init; }
    [FromQuery(Name = "createdFrom")] public string? CreatedFrom { get; init; }
    [FromQuery(Name = "createdTo")] public string? CreatedTo { get; init; }
    [FromQuery(Name = "archived")] public string? Archived { get; init; }
    [FromQuery(Name = "sort")] public string? Sort { get; init; }
    [FromQuery(Name = "order")] public string? Order { get; init; }
    [FromQuery(Name = "page")] public string? Page { get; init; }
    [FromQuery(Name = "pageSize")] public string? PageSize { get; init; }

    public TicketQuery ToQuery(TicketValidation.Errors errors)
    {
        var page = ParseInt(errors, "page", Page, 1, 1, int.MaxValue / TicketQuery.MaxPageSize);
        var pageSize = ParseInt(errors, "pageSize", PageSize, 50, 1, TicketQuery.MaxPageSize);
        var from = ParseTime(errors, "createdFrom", CreatedFrom);
        var to = ParseTime(errors, "createdTo", CreatedTo);
        if (from is not null && to is not null && from > to)
        {
            errors.Add("createdTo", "createdTo must not be before createdFrom.");
        }

        var archived = (Archived ?? "exclude").ToLowerInvariant();
        if (archived is not ("exclude" or "include" or "only"))
        {
            errors.Add("archived", "Use one of: exclude, include, only.");
        }

        return new TicketQuery
        {
            Statuses = ParseEnums<TicketStatus>(errors, "status", Status),
            Priorities = ParseEnums<TicketPriority>(errors, "priority", Priority),
            Category = Blank(Category),
            Assignee = Blank(Assignee),
            Label = Blank(Label),
            Text = Blank(Text),
            CreatedFrom = from,
            CreatedTo = to,
            IncludeArchived = archived is "include" or "only",
            ArchivedOnly = archived == "only",
            SortBy = ParseEnums<TicketSortField>(errors, "sort", Sort is null ? null : [Sort]).FirstOrDefault(TicketSortField.Created),
            Descending = ParseOrder(errors, Order),
            Page = page,
            PageSize = pageSize,
        };
    }

    internal static IReadOnlyList<T> ParseEnums<T>(TicketValidation.Errors errors, string field, string[]? values) where T : struct, Enum
    {
        if (values is null)
        {
            return [];
        }
        var parsed = new List<T>();
        // Accept both repeated parameters (?status=New&status=Triaged) and comma lists (?status=New,Triaged).
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (EnumNames.TryParse<T>(value, out var result))
            {
                parsed.Add(result);
            }
            else
            {
                errors.Add(field, $"'{value}' is not one of: {string.Join(", ", Enum.GetNames<T>())}.");
            }
        }
        return parsed;
    }

    private static bool ParseOrder(TicketValidation.Errors errors, string? order)
    {
        switch (order?.ToLowerInvariant())
        {
            case null or "desc":
                return true;
            case "asc":
                return false;
            default:
                errors.Add("order", "Use asc or desc.");
                return true;
        }
    }

    private static int ParseInt(TicketValidation.Errors errors, string field, string? value, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var result) && result >= min && result <= max)
        {
            return result;
        }
        errors.Add(field, $"{field} must be a whole number from {min} to {max}.");
        return fallback;
    }

    internal static DateTimeOffset? ParseTime(TicketValidation.Errors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var result))
        {
            return result;
        }
        errors.Add(field, $"'{value}' is not an ISO 8601 date or time.");
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
