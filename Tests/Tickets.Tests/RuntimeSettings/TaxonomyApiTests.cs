using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using AspireTickets.Api.Apis;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Infrastructure.Taxonomy;
using AspireTickets.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace AspireTickets.Tests.RuntimeSettings;

/// <summary>The categories a lead saves replace the configured ones for every consumer, at once in this process.</summary>
public sealed class TaxonomyApiTests : StaffTestBase
{
    [Fact]
    public async Task Agents_read_the_taxonomy_but_only_leads_change_it()
    {
        var body = new { categories = new[] { "bug", "hardware" } };

        Assert.Equal(HttpStatusCode.OK, (await As("alice").GetAsync("/api/taxonomy", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As("alice").PutAsJsonAsync("/api/taxonomy", body, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.CreateApiClient().GetAsync("/api/taxonomy", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As("lena").PutAsJsonAsync("/api/taxonomy", body, Ct)).StatusCode);
        Assert.Equal(["bug", "hardware"], (await As("alice").GetFromJsonAsync<TaxonomyResponse>("/api/taxonomy", TicketsAppFactory.Json, Ct))!.Categories);
    }

    [Fact]
    public async Task Empty_duplicate_and_malformed_categories_are_named_one_by_one()
    {
        var response = await As("lena").PutAsJsonAsync("/api/taxonomy", new { categories = new[] { "bug", " ", "BUG", "two.parts", new string('x', 51) } }, Ct);
        var empty = await As("lena").PutAsJsonAsync("/api/taxonomy", new { categories = Array.Empty<string>() }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["categories[1]", "categories[2]", "categories[3]", "categories[4]"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("already category 1", errors.GetProperty("categories[2]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.ReadJsonAsync()).GetProperty("errors").TryGetProperty("categories", out _));
        // Nothing was stored by the refused saves.
        Assert.Contains("billing", (await As("lena").GetFromJsonAsync<TaxonomyResponse>("/api/taxonomy", TicketsAppFactory.Json, Ct))!.Categories);
    }

    [Fact]
    public async Task Ticket_validation_uses_the_saved_categories_right_after_the_save_and_records_who_saved_them()
    {
        var lead = As("lena");
        Assert.Equal(HttpStatusCode.BadRequest, (await lead.PostAsJsonAsync("/api/tickets", new { title = "Printer on fire", category = "hardware" }, Ct)).StatusCode);

        var saved = await lead.PutAsJsonAsync("/api/taxonomy", new { categories = new[] { " hardware ", "bug" } }, Ct);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var taxonomy = await saved.ReadAsync<TaxonomyResponse>();
        Assert.Equal(["hardware", "bug"], taxonomy.Categories);
        Assert.Equal(("lena", App.Time.GetUtcNow()), (taxonomy.UpdatedBy, taxonomy.UpdatedAt));
        Assert.Equal(HttpStatusCode.Created, (await lead.PostAsJsonAsync("/api/tickets", new { title = "Printer on fire", category = "hardware" }, Ct)).StatusCode);
        var removed = await lead.PostAsJsonAsync("/api/tickets", new { title = "Invoice wrong", category = "billing" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, removed.StatusCode);
        Assert.True((await removed.ReadJsonAsync()).GetProperty("errors").TryGetProperty("category", out _));
        Assert.Equal(["hardware", "bug"], App.Services.GetRequiredService<IOptionsMonitor<TicketTaxonomy>>().CurrentValue.Categories);

        var history = (await lead.GetAsync("/api/taxonomy/history", Ct));
        var change = (await history.ReadJsonAsync())[0];
        Assert.Equal("lena", change.GetProperty("updatedBy").GetString());
        Assert.Contains("billing", change.GetProperty("before").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Tickets_filed_under_a_removed_category_keep_it_and_can_still_be_edited()
    {
        var lead = As("lena");
        var created = await lead.PostAsJsonAsync("/api/tickets", new { title = "Invoice wrong", category = "billing", priority = "Low" }, Ct);
        var ticket = await created.ReadAsync<AspireTickets.Domain.Tickets.Ticket>();
        Assert.Equal(HttpStatusCode.OK, (await lead.PutAsJsonAsync("/api/taxonomy", new { categories = new[] { "bug", "question" } }, Ct)).StatusCode);

        // The Web's full edit sends every field back, the retired category included.
        var edit = await lead.SendAsync(Put(ticket, new { title = "Invoice wrong twice", description = "", status = "New", priority = "High", category = "billing" }), Ct);

        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var edited = await edit.ReadAsync<AspireTickets.Domain.Tickets.Ticket>();
        Assert.Equal(("Invoice wrong twice", "billing"), (edited.Title, edited.Category));
        // Moving another ticket into the removed category is still refused, naming the field.
        var other = await (await lead.PostAsJsonAsync("/api/tickets", new { title = "Printer", category = "bug" }, Ct)).ReadAsync<AspireTickets.Domain.Tickets.Ticket>();
        var moved = await lead.SendAsync(Put(other, new { title = "Printer", description = "", status = "New", priority = "Medium", category = "billing" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.True((await moved.ReadJsonAsync()).GetProperty("errors").TryGetProperty("category", out _));
    }

    private static HttpRequestMessage Put(AspireTickets.Domain.Tickets.Ticket ticket, object body)
    {
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/tickets/{ticket.Id}") { Content = JsonContent.Create(body, options: TicketsAppFactory.Json) };
        put.Headers.TryAddWithoutValidation("If-Match", $"\"{ticket.Version}\"");
        return put;
    }

    [Fact]
    public async Task A_category_with_an_sla_policy_cannot_be_removed()
    {
        var lead = As("lena");
        var policy = new { priority = "High", category = "billing", firstResponse = "01:00:00", resolution = "08:00:00" };
        Assert.Equal(HttpStatusCode.Created, (await lead.PostAsJsonAsync("/api/sla-policies", policy, Ct)).StatusCode);

        var response = await lead.PutAsJsonAsync("/api/taxonomy", new { categories = new[] { "bug" } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("high.billing", (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("categories")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_process_saving_the_taxonomy_reaches_this_one_within_the_refresh_interval()
    {
        var monitor = App.Services.GetRequiredService<IOptionsMonitor<TicketTaxonomy>>();
        Assert.Contains("billing", monitor.CurrentValue.Categories);
        using var lookups = new MetricCollector<long>(App.Services.GetRequiredService<IMeterFactory>(), TicketsTelemetry.MeterName, "tickets.cache.requests");

        // What the Api process of a distributed run does; this process only learns of it by re-reading.
        var documents = App.Services.GetRequiredService<IDocumentStore>();
        await documents.Collection<StoredTaxonomyDocument>(StoredTaxonomy.CollectionName).UpsertAsync(new StoredDocument<StoredTaxonomyDocument>(
            StoredTaxonomy.CurrentId, new StoredTaxonomyDocument { Categories = ["network"], UpdatedBy = "elsewhere", UpdatedAt = App.Time.GetUtcNow() }, App.Time.GetUtcNow()), Ct);
        Assert.Contains("billing", monitor.CurrentValue.Categories);

        App.Time.Advance(TaxonomyExtensions.DefaultRefreshInterval);

        // The refresh runs on the host's background service; wait for it, not for a duration.
        for (var i = 0; i < 200 && !monitor.CurrentValue.Categories.SequenceEqual(["network"]); i++)
        {
            await Task.Delay(50, Ct);
        }
        Assert.Equal(["network"], monitor.CurrentValue.Categories);
        // The re-read goes through the cache (Redis in the distributed run; here, with no second level, to the store).
        Assert.Contains(lookups.GetMeasurementSnapshot(), m => (string?)m.Tags["cache.area"] == "taxonomy");
    }
}
