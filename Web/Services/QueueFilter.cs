using System.Globalization;
using AspireTickets.Domain.Tickets;
using Microsoft.AspNetCore.WebUtilities;
using AspireTickets.Domain.Text;

namespace AspireTickets.Web.Services;

/// <summary>
/// The queue's filters, sort and page, kept in the page URL (<c>/tickets?status=New,Triaged&amp;priority=High&amp;q=vpn&amp;page=2</c>)
/// so a filtered view can be bookmarked, shared and restored with the back button. Dates are local calendar days;
/// <see cref="CreatedTo"/> is inclusive here and turned into the Api's exclusive bound.
/// </summary>
public sealed record QueueFilter
{
    public const int DefaultPageSize = 25;

    public IReadOnlyList<TicketStatus> Statuses { get; init; } = [];
    public IReadOnlyList<TicketPriority> Priorities { get; init; } = [];
    public string? Category { get; init; }
    public string? Assignee { get; init; }
    public string? Label { get; init; }
    public string? Text { get; init; }
    public DateOnly? CreatedFrom { get; init; }
    public DateOnly? CreatedTo { get; init; }
    public string Sort { get; init; } = "created";
    public bool Descending { get; init; } = true;
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;

    public static readonly IReadOnlyList<string> SortFields = ["created", "updated", "priority", "status"];

    /// <summary>Reads the filter from a URL; unknown or malformed values are ignored rather than failing the page.</summary>
    public static QueueFilter FromUri(string uri)
    {
        var query = new Uri(new Uri("http://x/"), uri).Query;
        var values = QueryHelpers.ParseQuery(query);
        string? One(string key) => values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        IEnumerable<string> Many(string key) => values.TryGetValue(key, out var v)
            ? v.SelectMany(s => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : [];

        var sort = One("sort")?.ToLowerInvariant();
        return new QueueFilter
        {
            Statuses = [.. Many("status").Select(s => EnumNames.TryParse<TicketStatus>(s, out var x) ? x : (TicketStatus?)null).OfType<TicketStatus>().Distinct()],
            Priorities = [.. Many("priority").Select(s => EnumNames.TryParse<TicketPriority>(s, out var x) ? x : (TicketPriority?)null).OfType<TicketPriority>().Distinct()],
            Category = One("category"),
            Assignee = One("assignee"),
            Label = One("label"),
            Text = One("q"),
            CreatedFrom = Date(One("from")),
            CreatedTo = Date(One("to")),
            Sort = sort is not null && SortFields.Contains(sort) ? sort : "created",
            Descending = !string.Equals(One("order"), "asc", StringComparison.OrdinalIgnoreCase),
            Page = int.TryParse(One("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1 ? page : 1,
            PageSize = int.TryParse(One("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 5 and <= 200 ? size : DefaultPageSize,
        };
    }

    /// <summary>The query string of the page URL (without "?"); defaults are left out so URLs stay short.</summary>
    public string ToQueryString()
    {
        var parts = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(new(key, value));
            }
        }
        Add("status", string.Join(',', Statuses));
        Add("priority", string.Join(',', Priorities));
        Add("category", Category);
        Add("assignee", Assignee);
        Add("label", Label);
        Add("q", Text);
        Add("from", CreatedFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", CreatedTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("sort", Sort == "created" ? null : Sort);
        Add("order", Descending ? null : "asc");
        Add("page", Page == 1 ? null : Page.ToString(CultureInfo.InvariantCulture));
        Add("size", PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture));
        return QueryString.Create(parts).ToUriComponent().TrimStart('?');
    }

    /// <summary>The query string of <c>GET /api/tickets</c> for this filter, in UTC days of <paramref name="zone"/>.</summary>
    public string ToApiQuery(TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Utc;
        var parts = new List<KeyValuePair<string, string?>>();
        foreach (var s in Statuses)
        {
            parts.Add(new("status", s.ToString()));
        }
        foreach (var p in Priorities)
        {
            parts.Add(new("priority", p.ToString()));
        }
        if (Category is not null) parts.Add(new("category", Category));
        if (Assignee is not null) parts.Add(new("assignee", Assignee));
        if (Label is not null) parts.Add(new("label", Label));
        if (Text is not null) parts.Add(new("q", Text));
        if (CreatedFrom is { } from) parts.Add(new("createdFrom", StartOfDay(from, zone)));
        if (CreatedTo is { } to) parts.Add(new("createdTo", StartOfDay(to.AddDays(1), zone)));
        parts.Add(new("sort", Sort));
        parts.Add(new("order", Descending ? "desc" : "asc"));
        parts.Add(new("page", Page.ToString(CultureInfo.InvariantCulture)));
        parts.Add(new("pageSize", PageSize.ToString(CultureInfo.InvariantCulture)));
        return QueryString.Create(parts).ToUriComponent().TrimStart('?');
    }

    public bool HasFilters => Statuses.Count > 0 || Priorities.Count > 0 || Category is not null || Assignee is not null
        || Label is not null || Text is not null || CreatedFrom is not null || CreatedTo is not null;

    private static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
    }
}
