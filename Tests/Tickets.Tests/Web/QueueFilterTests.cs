using AspireTickets.Api.Model;
using AspireTickets.Domain.Tickets;
using AspireTickets.Web.Components.Pages;
using AspireTickets.Web.Services;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.Web;

public sealed class QueueFilterTests
{
    [Fact]
    public void A_filter_survives_the_trip_through_the_url()
    {
        var filter = new QueueFilter
        {
            Statuses = [TicketStatus.New, TicketStatus.InProgress],
            Priorities = [TicketPriority.Critical],
            Category = "billing",
            Assignee = "sam",
            Label = "vip",
            Text = "invoice pdf",
            CreatedFrom = new DateOnly(2026, 3, 1),
            CreatedTo = new DateOnly(2026, 3, 31),
            Sort = "priority",
            Descending = false,
            Page = 3,
            PageSize = 50,
        };

        var query = filter.ToQueryString();

        Assert.Equal("status=New,InProgress&priority=Critical&category=billing&assignee=sam&label=vip&q=invoice pdf&from=2026-03-01&to=2026-03-31&sort=priority&order=asc&page=3&size=50",
            Uri.UnescapeDataString(query));
        var back = QueueFilter.FromUri("/tickets?" + query);
        // Lists compare by reference in records; compare the rest as a whole.
        Assert.Equal(filter with { Statuses = [], Priorities = [] }, back with { Statuses = [], Priorities = [] });
        Assert.Equal(filter.Statuses, back.Statuses);
        Assert.Equal(filter.Priorities, back.Priorities);
    }

    [Fact]
    public void Defaults_stay_out_of_the_url_and_garbage_is_ignored()
    {
        Assert.Equal("", new QueueFilter().ToQueryString());

        var parsed = QueueFilter.FromUri("/tickets?status=New,Bogus&priority=7&from=yesterday&page=-2&size=100000&sort=drop%20table&order=sideways");

        Assert.Equal([TicketStatus.New], parsed.Statuses);
        Assert.Empty(parsed.Priorities);
        Assert.Null(parsed.CreatedFrom);
        Assert.Equal(1, parsed.Page);
        Assert.Equal(QueueFilter.DefaultPageSize, parsed.PageSize);
        Assert.Equal("created", parsed.Sort);
        Assert.True(parsed.Descending);
    }

    [Fact]
    public void The_api_query_makes_the_inclusive_end_day_exclusive_in_the_time_zone()
    {
        var filter = new QueueFilter { CreatedFrom = new DateOnly(2026, 3, 1), CreatedTo = new DateOnly(2026, 3, 1) };
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var query = Uri.UnescapeDataString(filter.ToApiQuery(berlin));

        // Berlin is UTC+1 in March: the local day 1 March runs from 28 Feb 23:00 to 1 March 23:00 UTC.
        Assert.Contains("createdFrom=2026-02-28T23:00:00.0000000+00:00", query, StringComparison.Ordinal);
        Assert.Contains("createdTo=2026-03-01T23:00:00.0000000+00:00", query, StringComparison.Ordinal);
        Assert.Contains("sort=created&order=desc&page=1&pageSize=25", query, StringComparison.Ordinal);
    }
}

public sealed class QueuePageTests : IAsyncDisposable
{
    private readonly WebTestContext _ctx = new();

    public QueuePageTests()
    {
        _ctx.Api.On(HttpMethod.Get, "/api/tickets", new TicketListResponse([new Ticket { Title = "Printer jam", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow }], 1, 1, 25));
    }

    [Fact]
    public void The_url_filters_are_what_the_api_is_asked_for()
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/tickets?status=Waiting&priority=High&q=printer&assignee=sam&sort=priority&order=asc&page=2&size=10");

        _ctx.RenderPopovers();
        var queue = _ctx.Render<Queue>();

        queue.WaitForAssertion(() => Assert.Contains(_ctx.Api.Requests, r => r.Path == "/api/tickets"));
        var query = Uri.UnescapeDataString(_ctx.Api.Requests.Last(r => r.Path == "/api/tickets").Query);
        Assert.Contains("status=Waiting", query, StringComparison.Ordinal);
        Assert.Contains("priority=High", query, StringComparison.Ordinal);
        Assert.Contains("q=printer", query, StringComparison.Ordinal);
        Assert.Contains("assignee=sam", query, StringComparison.Ordinal);
        Assert.Contains("sort=priority&order=asc&page=2&pageSize=10", query, StringComparison.Ordinal);
        queue.WaitForAssertion(() => Assert.Contains("Printer jam", queue.Markup, StringComparison.Ordinal));
        // The person (not just the Web) is named to the Api, with the Web's service key.
        var request = _ctx.Api.Requests.Last(r => r.Path == "/api/tickets");
        Assert.Equal("pat", request.Headers["X-Tickets-User"]);
        Assert.Equal("service-key", request.Headers["X-Tickets-Service-Key"]);
    }

    [Fact]
    public void Typing_a_search_puts_it_in_the_url_and_goes_back_to_page_one()
    {
        var navigation = _ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/tickets?page=3");
        _ctx.RenderPopovers();
        var queue = _ctx.Render<Queue>();
        queue.WaitForAssertion(() => Assert.NotEmpty(_ctx.Api.Requests));

        queue.Find("#filter-text").Input("vpn drops");

        queue.WaitForAssertion(() => Assert.EndsWith("/tickets?q=vpn%20drops", navigation.Uri, StringComparison.Ordinal));
        queue.WaitForAssertion(() => Assert.Contains("q=vpn drops", Uri.UnescapeDataString(_ctx.Api.Requests.Last(r => r.Path == "/api/tickets").Query), StringComparison.Ordinal));
        Assert.Contains("page=1&", Uri.UnescapeDataString(_ctx.Api.Requests.Last(r => r.Path == "/api/tickets").Query), StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}
