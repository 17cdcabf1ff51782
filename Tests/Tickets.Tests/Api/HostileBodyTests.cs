using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Api;

/// <summary>
/// The hostile inputs of issue 17 (items 1 to 4) that answered 500 or were accepted: each is now a 4xx problem naming
/// the field, and a refused request leaves the ticket as it was.
/// </summary>
public sealed class HostileBodyTests : ApiTestBase
{
    private async Task<Ticket> CreateAsync()
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", new { title = "Printer jams", description = "Tray 2." }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<Ticket>();
    }

    private static StringContent Body(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    private static async Task<JsonElement> AssertFieldError(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for '{field}' in {errors}");
        return problem;
    }

    [Theory]
    [InlineData("/api/analytics/summary?from=0001-01-01&to=9999-12-31", "from")]
    [InlineData("/api/analytics/summary?to=9999-12-31&timeZone=Pacific/Kiritimati", "to")]
    [InlineData("/api/analytics/trends?to=0001-01-02", "to")]
    [InlineData("/api/analytics/trends?from=0001-01-01&to=0001-01-20", "from")]
    [InlineData("/api/analytics/performance?from=9999-12-31", "from")]
    [InlineData("/api/analytics/category?to=9999-12-31&timeZone=Pacific/Kiritimati", "to")]
    [InlineData("/api/analytics/priority?from=0001-01-01", "from")]
    public async Task Analytics_with_extreme_dates_is_a_400_naming_the_field(string url, string field)
    {
        var response = await Client.GetAsync(url, Ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            Assert.Fail($"{url} is not an analytics endpoint");
        }
        await AssertFieldError(response, field);
    }

    [Fact]
    public async Task Analytics_within_the_supported_range_still_answers()
    {
        var response = await Client.GetAsync("/api/analytics/summary?from=1900-01-01&to=2999-12-31&timeZone=Pacific/Kiritimati", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("\"utf-99\"")]
    public async Task An_unknown_charset_is_a_415_problem(string charset)
    {
        var content = new ByteArrayContent("{\"title\":\"Printer jams\"}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        var response = await Client.PostAsync("/api/tickets", content, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Content-Type", out _));
    }

    [Fact]
    public async Task A_known_charset_other_than_utf8_is_read()
    {
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes("{\"title\":\"Drucker klemmt\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");

        var response = await Client.PostAsync("/api/tickets", content, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Drucker klemmt", (await response.ReadAsync<Ticket>()).Title);
    }

    [Theory]
    [InlineData("{\"description\":\"\\ud800\"}", "description")]
    [InlineData("{\"title\":\"ok \\udc00\"}", "title")]
    [InlineData("{\"labels\":[\"vpn\",\"\\ud800\"]}", "labels")]
    [InlineData("{\"priority\":\"\\ud800\"}", "priority")]
    public async Task Patch_with_a_lone_surrogate_is_a_400_and_changes_nothing(string json, string field)
    {
        var ticket = await CreateAsync();

        var response = await Client.PatchAsync($"/api/tickets/{ticket.Id}", Body(json, "application/merge-patch+json"), Ct);

        await AssertFieldError(response, field);
        var after = await (await Client.GetAsync($"/api/tickets/{ticket.Id}", Ct)).ReadAsync<Ticket>();
        Assert.Equal(ticket.Version, after.Version);
    }

    [Fact]
    public async Task Patch_with_invalid_utf8_is_a_400()
    {
        var ticket = await CreateAsync();
        byte[] json = [.. "{\"description\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        var content = new ByteArrayContent(json);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/merge-patch+json");

        var response = await Client.PatchAsync($"/api/tickets/{ticket.Id}", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"title\":\"\\u0000\"}", "title")]
    [InlineData("{\"title\":\"\\u0001\\u0007 \\u200b\"}", "title")]
    [InlineData("{\"title\":\"Printer\\u0000jams\"}", "title")]
    [InlineData("{\"title\":\"Printer\",\"description\":\"tray\\u0000two\"}", "description")]
    public async Task Control_characters_in_text_are_a_400_on_create(string json, string field) =>
        await AssertFieldError(await Client.PostAsync("/api/tickets", Body(json), Ct), field);

    [Theory]
    [InlineData("POST", "/api/tickets/{id}/comments", "{\"text\":\"see\\u0000attached\"}", "text")]
    [InlineData("POST", "/api/tickets/{id}/suggestion/reject", "{\"reason\":\"\\u001b[31mred\"}", "reason")]
    [InlineData("POST", "/api/kb", "{\"title\":\"VPN\",\"body\":\"Reset\\u0007 it\",\"tags\":[]}", "body")]
    [InlineData("POST", "/api/kb", "{\"title\":\"VPN\",\"body\":\"Reset it\",\"tags\":[\"vpn\",\"\\u0000\"]}", "tags[1]")]
    [InlineData("PUT", "/api/taxonomy", "{\"categories\":[\"bug\",\"\\ud800\"]}", "categories[1]")]
    [InlineData("POST", "/api/notification-channels", "{\"name\":\"On\\u0000call\",\"kind\":\"Webhook\",\"url\":\"http://127.0.0.1:9/hook\"}", "name")]
    public async Task Control_characters_and_lone_surrogates_are_a_400_on_every_json_endpoint(string method, string path, string json, string field)
    {
        var ticket = await CreateAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", ticket.Id.ToString())) { Content = Body(json) };

        var response = await Client.SendAsync(request, Ct);

        await AssertFieldError(response, field);
    }

    [Fact]
    public async Task Control_characters_are_a_400_on_put_and_patch()
    {
        var ticket = await CreateAsync();

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/tickets/{ticket.Id}") { Content = Body("{\"title\":\"\\u0000\"}") };
        put.Headers.TryAddWithoutValidation("If-Match", $"\"{ticket.Version}\"");
        await AssertFieldError(await Client.SendAsync(put, Ct), "title");

        await AssertFieldError(await Client.PatchAsync($"/api/tickets/{ticket.Id}", Body("{\"title\":\"\\u0000\"}", "application/merge-patch+json"), Ct), "title");
    }

    [Fact]
    public async Task Tabs_and_line_breaks_stay_allowed()
    {
        var response = await Client.PostAsync("/api/tickets", Body("{\"title\":\"Printer\\tjams\",\"description\":\"line one\\r\\nline two\"}"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Duplicate_keys_are_a_400_on_create()
    {
        var response = await Client.PostAsync("/api/tickets", Body("{\"title\":\"Printer\",\"title\":\"Other\"}"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Contains("title", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_keys_are_a_400_on_patch_and_change_nothing()
    {
        var ticket = await CreateAsync();

        var response = await Client.PatchAsync($"/api/tickets/{ticket.Id}", Body("{\"priority\":\"Low\",\"priority\":\"Critical\"}", "application/merge-patch+json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("priority", (await response.ReadJsonAsync()).GetRawText(), StringComparison.Ordinal);
        var after = await (await Client.GetAsync($"/api/tickets/{ticket.Id}", Ct)).ReadAsync<Ticket>();
        Assert.Equal(ticket.Version, after.Version);
    }
}
