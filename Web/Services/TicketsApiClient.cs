using AspireTickets.Agents.Workflow;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AspireTickets.Api.Model;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace AspireTickets.Web.Services;

/// <summary>
/// The one way every page talks to the Api and the Agents (see <see cref="ApiEndpoint"/> for where they are). Each request carries
/// the Web's service key and the signed-in person's user name; the Api looks that person up and applies their role,
/// so the Web can hide what a role may not do but the Api is what enforces it. Failures surface as
/// <see cref="ApiProblemException"/> with the Api's problem details.
/// </summary>
public sealed class TicketsApiClient(HttpClient http, AuthenticationStateProvider authentication, ApiCredentials credentials, AgentsRoute? agents = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    // --- people ---

    /// <summary>Checks a password; null when wrong or disabled.</summary>
    public async Task<UserResponse?> SignInAsync(string userName, string password, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "api/auth/sign-in", new SignInRequest(userName, password), ct, asUser: false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }
        return await ReadAsync<UserResponse>(response, ct);
    }

    /// <summary>The person as the Api knows them now; null when they no longer exist or are disabled.</summary>
    public async Task<UserResponse?> GetUserAsync(string userName, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "api/me", null, ct, asUser: false, actingUser: userName);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }
        return await ReadAsync<UserResponse>(response, ct);
    }

    public Task<UserResponse[]> GetUsersAsync(CancellationToken ct = default) => GetAsync<UserResponse[]>("api/users", ct);

    public Task<UserResponse> CreateUserAsync(CreateUserRequest request, CancellationToken ct = default) => PostAsync<UserResponse>("api/users", request, ct);

    public Task<UserResponse> UpdateUserAsync(string userName, UpdateUserRequest request, CancellationToken ct = default) =>
        SendReadAsync<UserResponse>(HttpMethod.Put, $"api/users/{Uri.EscapeDataString(userName)}", request, ct);

    public Task<ApiKeyResponse[]> GetApiKeysAsync(CancellationToken ct = default) => GetAsync<ApiKeyResponse[]>("api/api-keys", ct);

    public Task<CreatedApiKeyResponse> CreateApiKeyAsync(string name, CancellationToken ct = default) =>
        PostAsync<CreatedApiKeyResponse>("api/api-keys", new CreateApiKeyRequest(name), ct);

    public Task DeleteApiKeyAsync(string id, CancellationToken ct = default) => DeleteAsync($"api/api-keys/{Uri.EscapeDataString(id)}", ct);

    // --- tickets ---

    public Task<TicketListResponse> ListTicketsAsync(QueueFilter filter, TimeZoneInfo? zone = null, CancellationToken ct = default) =>
        GetAsync<TicketListResponse>("api/tickets?" + filter.ToApiQuery(zone), ct);

    public async Task<Ticket?> GetTicketAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/tickets/{id}", null, ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<Ticket>(response, ct);
    }

    public Task<Ticket> CreateTicketAsync(CreateTicketRequest request, CancellationToken ct = default) => PostAsync<Ticket>("api/tickets", request, ct);

    /// <summary>Replaces the editable fields; <paramref name="version"/> makes a concurrent edit fail with 412 instead of being overwritten.</summary>
    public Task<Ticket> UpdateTicketAsync(Guid id, UpdateTicketRequest request, long version, CancellationToken ct = default) =>
        SendReadAsync<Ticket>(HttpMethod.Put, $"api/tickets/{id}", request, ct, version);

    /// <summary>JSON merge patch of some fields (status, priority, category, assignee…).</summary>
    public Task<Ticket> PatchTicketAsync(Guid id, IReadOnlyDictionary<string, object?> changes, long? version = null, CancellationToken ct = default) =>
        SendReadAsync<Ticket>(HttpMethod.Patch, $"api/tickets/{id}", changes, ct, version);

    public Task<TicketComment> AddCommentAsync(Guid id, string text, bool isPublic, CancellationToken ct = default) =>
        PostAsync<TicketComment>($"api/tickets/{id}/comments", new AddCommentRequest(text, isPublic), ct);

    public Task<AuditEntry[]> GetAuditTrailAsync(Guid id, CancellationToken ct = default) => GetAsync<AuditEntry[]>($"api/tickets/{id}/audit", ct);

    public Task<Ticket> ApproveSuggestionAsync(Guid id, bool postAsReply, CancellationToken ct = default) =>
        PostAsync<Ticket>($"api/tickets/{id}/suggestion/approve", new ApproveSuggestionRequest(postAsReply), ct);

    public Task<Ticket> EditSuggestionAsync(Guid id, string text, bool postAsReply, CancellationToken ct = default) =>
        PostAsync<Ticket>($"api/tickets/{id}/suggestion/edit", new EditSuggestionRequest(text, postAsReply), ct);

    public Task<Ticket> RejectSuggestionAsync(Guid id, string reason, CancellationToken ct = default) =>
        PostAsync<Ticket>($"api/tickets/{id}/suggestion/reject", new RejectSuggestionRequest(reason), ct);

    public Task<Api.Apis.TaxonomyResponse> GetTaxonomyAsync(CancellationToken ct = default) => GetAsync<Api.Apis.TaxonomyResponse>("api/taxonomy", ct);

    // --- analytics ---

    public Task<AnalyticsSummary> GetSummaryAsync(AnalyticsRange range, CancellationToken ct = default) => GetAsync<AnalyticsSummary>("api/analytics/summary?" + range.Query, ct);

    public Task<DistributionEntry[]> GetPriorityMixAsync(AnalyticsRange range, CancellationToken ct = default) => GetAsync<DistributionEntry[]>("api/analytics/priority?" + range.Query, ct);

    public Task<DistributionEntry[]> GetCategoryMixAsync(AnalyticsRange range, CancellationToken ct = default) => GetAsync<DistributionEntry[]>("api/analytics/category?" + range.Query, ct);

    public Task<TrendsReport> GetTrendsAsync(AnalyticsRange range, string interval, CancellationToken ct = default) =>
        GetAsync<TrendsReport>($"api/analytics/trends?interval={interval}&" + range.Query, ct);

    public Task<PerformanceReport> GetPerformanceAsync(AnalyticsRange range, CancellationToken ct = default) => GetAsync<PerformanceReport>("api/analytics/performance?" + range.Query, ct);

    // --- features of other modules: 404 for the whole feature means "not deployed yet" ---

    public Task<Feature<List<WorkflowRun>>> GetWorkflowRunsAsync(Guid id, CancellationToken ct = default) =>
        GetFeatureAsync<List<WorkflowRun>>($"api/tickets/{id}/workflows", ct);

    public async Task RerunWorkflowAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/tickets/{id}/workflow", new { }, ct);
        await EnsureAsync(response, ct);
    }

    public Task<Feature<JsonElement>> GetAgentsHealthAsync(CancellationToken ct = default) => GetFeatureAsync<JsonElement>("api/agents/health", ct);

    public Task<Feature<TriageModelsView>> GetTriageModelsAsync(CancellationToken ct = default) => GetFeatureAsync<TriageModelsView>("api/agents/models", ct);

    public Task<TriageModelVersionView> RetrainTriageModelAsync(CancellationToken ct = default) =>
        PostAsync<TriageModelVersionView>("api/agents/models/retrain", new { }, ct);

    public async Task ActivateTriageModelAsync(string version, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/agents/models/{Uri.EscapeDataString(version)}/activate", new { }, ct);
        await EnsureAsync(response, ct);
    }

    public async Task SplitTriageModelsAsync(string? candidate, double share, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Put, "api/agents/models/split", new { candidate, candidateShare = share }, ct);
        await EnsureAsync(response, ct);
    }

    public Task<Feature<JsonElement>> GetDeadLettersAsync(CancellationToken ct = default) => GetFeatureAsync<JsonElement>("api/dead-letters", ct);

    public async Task ReplayDeadLetterAsync(string id, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/dead-letters/{Uri.EscapeDataString(id)}/replay", new { }, ct);
        await EnsureAsync(response, ct);
    }

    // --- settings (writes need a lead) ---

    /// <summary>Replaces the categories; every consumer uses them at once.</summary>
    public Task<Api.Apis.TaxonomyResponse> SaveTaxonomyAsync(IReadOnlyList<string> categories, CancellationToken ct = default) =>
        SendReadAsync<Api.Apis.TaxonomyResponse>(HttpMethod.Put, "api/taxonomy", new TaxonomyRequest([.. categories]), ct);

    public Task<Feature<List<SlaPolicyView>>> GetSlaPoliciesAsync(CancellationToken ct = default) => GetFeatureAsync<List<SlaPolicyView>>("api/sla-policies", ct);

    public Task<SlaPolicyView> CreateSlaPolicyAsync(SlaPolicyRequest request, CancellationToken ct = default) => PostAsync<SlaPolicyView>("api/sla-policies", request, ct);

    /// <summary>Creates or replaces the policy with this id (a default one becomes stored).</summary>
    public Task<SlaPolicyView> SaveSlaPolicyAsync(string id, SlaPolicyRequest request, CancellationToken ct = default) =>
        SendReadAsync<SlaPolicyView>(HttpMethod.Put, $"api/sla-policies/{Uri.EscapeDataString(id)}", request, ct);

    public Task DeleteSlaPolicyAsync(string id, CancellationToken ct = default) => DeleteAsync($"api/sla-policies/{Uri.EscapeDataString(id)}", ct);

    public Task<Feature<List<NotificationChannelView>>> GetNotificationChannelsAsync(CancellationToken ct = default) =>
        GetFeatureAsync<List<NotificationChannelView>>("api/notification-channels", ct);

    public Task<NotificationChannelView> CreateNotificationChannelAsync(NotificationChannelRequest request, CancellationToken ct = default) =>
        PostAsync<NotificationChannelView>("api/notification-channels", request, ct);

    /// <summary>Replaces a channel; an empty secret (and an empty Slack URL) keeps the stored one.</summary>
    public Task<NotificationChannelView> SaveNotificationChannelAsync(string id, NotificationChannelRequest request, CancellationToken ct = default) =>
        SendReadAsync<NotificationChannelView>(HttpMethod.Put, $"api/notification-channels/{Uri.EscapeDataString(id)}", request, ct);

    public Task DeleteNotificationChannelAsync(string id, CancellationToken ct = default) => DeleteAsync($"api/notification-channels/{Uri.EscapeDataString(id)}", ct);

    /// <summary>The channel's most recent deliveries that failed for good, newest first.</summary>
    public Task<List<Infrastructure.Notifications.NotificationDelivery>> GetFailedDeliveriesAsync(string channelId, int limit, CancellationToken ct = default) =>
        GetAsync<List<Infrastructure.Notifications.NotificationDelivery>>(
            string.Create(CultureInfo.InvariantCulture, $"api/notifications/deliveries?status=failed&limit={limit}&channelId={Uri.EscapeDataString(channelId)}"), ct);

    public Task<Feature<List<KbArticle>>> SearchArticlesAsync(string? text, CancellationToken ct = default) =>
        GetFeatureAsync<List<KbArticle>>("api/kb" + (string.IsNullOrWhiteSpace(text) ? "" : "?q=" + Uri.EscapeDataString(text.Trim())), ct, listInItems: true);

    public async Task<KbArticle?> GetArticleAsync(string id, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/kb/{Uri.EscapeDataString(id)}", null, ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<KbArticle>(response, ct);
    }

    public Task<KbArticle> SaveArticleAsync(string? id, KbArticleRequest request, CancellationToken ct = default) => id is null
        ? PostAsync<KbArticle>("api/kb", request, ct)
        : SendReadAsync<KbArticle>(HttpMethod.Put, $"api/kb/{Uri.EscapeDataString(id)}", request, ct);

    // --- plumbing ---

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendReadAsync<T>(HttpMethod.Get, path, null, ct);

    private Task<T> PostAsync<T>(string path, object? body, CancellationToken ct) => SendReadAsync<T>(HttpMethod.Post, path, body, ct);

    private async Task DeleteAsync(string path, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, null, ct);
        await EnsureAsync(response, ct);
    }

    private async Task<T> SendReadAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct, long? version = null)
    {
        using var response = await SendAsync(method, path, body, ct, version: version);
        return await ReadAsync<T>(response, ct);
    }

    private async Task<Feature<T>> GetFeatureAsync<T>(string path, CancellationToken ct, bool listInItems = false)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            return Feature<T>.Missing;
        }
        await EnsureAsync(response, ct);
        if (listInItems)
        {
            // Lists may come bare or paged ({ items: [...] }).
            var json = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
            var list = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("items", out var items) ? items : json;
            return new Feature<T>(list.Deserialize<T>(Json), true);
        }
        return new Feature<T>(await response.Content.ReadFromJsonAsync<T>(Json, ct), true);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, object? body, CancellationToken ct, bool asUser = true, long? version = null, string? actingUser = null)
    {
        using var request = new HttpRequestMessage(method, agents?.For(path) ?? new Uri(path, UriKind.Relative));
        request.Headers.Add(WebServiceKey.HeaderName, credentials.ServiceKey);
        if ((actingUser ?? (asUser ? await CurrentUserAsync() : null)) is { } user)
        {
            request.Headers.Add(WebServiceKey.UserHeaderName, user);
        }
        if (version is { } v)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{v.ToString(CultureInfo.InvariantCulture)}\""));
        }
        if (body is not null)
        {
            request.Content = method == HttpMethod.Patch
                ? JsonContent.Create(body, new MediaTypeHeaderValue("application/merge-patch+json"), Json)
                : JsonContent.Create(body, options: Json);
        }
        return await http.SendAsync(request, ct);
    }

    private async Task<string?> CurrentUserAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        await EnsureAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiProblemException.ReadAsync(response, ct);
        }
    }
}

/// <summary>The Web's credentials towards the Api; a seam so component tests can supply their own.</summary>
public sealed class ApiCredentials(Func<string> serviceKey)
{
    public string ServiceKey => serviceKey();
}

/// <summary>An analytics range: local dates (inclusive) in a time zone, as <c>/api/analytics</c> takes them.</summary>
public sealed record AnalyticsRange(DateOnly From, DateOnly To, string TimeZone)
{
    public string Query => string.Create(CultureInfo.InvariantCulture, $"from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}&timeZone={Uri.EscapeDataString(TimeZone)}");
}
