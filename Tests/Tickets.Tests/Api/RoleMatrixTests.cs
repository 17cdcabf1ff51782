using System.Net;
using System.Text;
using AspireTickets.Infrastructure.Auth;

namespace AspireTickets.Tests.Api;

/// <summary>
/// Issue 17 item 9: every operation of the OpenAPI document against every kind of caller, in one table. An operation
/// the table does not decide fails the test, and so does a decision for an operation that is gone. Callers that may
/// not use an operation get exactly 401 (no or unknown credentials) or 403 (known, not enough); callers that may get
/// anything else but a 5xx (their requests carry random ids and empty bodies, so 400 and 404 are expected answers).
/// </summary>
public sealed class RoleMatrixTests : StaffTestBase
{
    /// <summary>Who may call an operation.</summary>
    public enum Access
    {
        /// <summary>Staff of any role and API keys.</summary>
        Agent,

        /// <summary>Leads, admins and API keys.</summary>
        Lead,

        /// <summary>Admins only (not API keys: a leaked key must not mint keys or users).</summary>
        Admin,

        /// <summary>Only the Web itself, checking a password; no caller in the table.</summary>
        WebService,

        /// <summary>A source's own secret or token; staff credentials open nothing, so every caller here gets 401.</summary>
        Source,
    }

    public enum Caller
    {
        Anonymous,

        /// <summary>A customer holding a conversation token; customers open no staff operation.</summary>
        Customer,
        Agent,
        Lead,
        Admin,
        ApiKey,
    }

    private static readonly Dictionary<string, Access> Decisions = new()
    {
        ["POST /api/auth/sign-in"] = Access.WebService,
        ["GET /api/me"] = Access.Agent,
        ["GET /api/tickets"] = Access.Agent,
        ["POST /api/tickets"] = Access.Agent,
        ["GET /api/tickets/{id}"] = Access.Agent,
        ["PUT /api/tickets/{id}"] = Access.Agent,
        ["PATCH /api/tickets/{id}"] = Access.Agent,
        ["DELETE /api/tickets/{id}"] = Access.Agent,
        ["POST /api/tickets/{id}/restore"] = Access.Agent,
        ["GET /api/tickets/{id}/comments"] = Access.Agent,
        ["POST /api/tickets/{id}/comments"] = Access.Agent,
        ["GET /api/tickets/{id}/audit"] = Access.Agent,
        ["GET /api/analytics/summary"] = Access.Agent,
        ["GET /api/analytics/priority"] = Access.Agent,
        ["GET /api/analytics/category"] = Access.Agent,
        ["GET /api/analytics/trends"] = Access.Agent,
        ["GET /api/analytics/performance"] = Access.Agent,
        ["GET /api/sla-policies"] = Access.Agent,
        ["POST /api/sla-policies"] = Access.Lead,
        ["GET /api/sla-policies/{id}"] = Access.Agent,
        ["PUT /api/sla-policies/{id}"] = Access.Lead,
        ["DELETE /api/sla-policies/{id}"] = Access.Lead,
        ["POST /api/escalations/check"] = Access.Agent,
        ["GET /api/escalations"] = Access.Agent,
        ["GET /api/notification-channels"] = Access.Lead,
        ["POST /api/notification-channels"] = Access.Lead,
        ["GET /api/notification-channels/{id}"] = Access.Lead,
        ["PUT /api/notification-channels/{id}"] = Access.Lead,
        ["DELETE /api/notification-channels/{id}"] = Access.Lead,
        ["GET /api/notifications/deliveries"] = Access.Agent,
        ["POST /api/notifications/deliveries/retry"] = Access.Lead,
        ["POST /api/tickets/{id}/suggestion/approve"] = Access.Agent,
        ["POST /api/tickets/{id}/suggestion/edit"] = Access.Agent,
        ["POST /api/tickets/{id}/suggestion/reject"] = Access.Agent,
        ["GET /api/users"] = Access.Admin,
        ["POST /api/users"] = Access.Admin,
        ["PUT /api/users/{userName}"] = Access.Admin,
        ["GET /api/api-keys"] = Access.Admin,
        ["POST /api/api-keys"] = Access.Admin,
        ["DELETE /api/api-keys/{id}"] = Access.Admin,
        ["GET /api/taxonomy"] = Access.Agent,
        ["PUT /api/taxonomy"] = Access.Lead,
        ["GET /api/taxonomy/history"] = Access.Lead,
        ["GET /api/dead-letters"] = Access.Agent,
        ["GET /api/dead-letters/{id}"] = Access.Agent,
        ["DELETE /api/dead-letters/{id}"] = Access.Agent,
        ["POST /api/dead-letters/{id}/replay"] = Access.Agent,
        ["POST /ingest/jira"] = Access.Source,
        ["POST /ingest/zendesk"] = Access.Source,
        ["POST /ingest/alertmanager"] = Access.Source,
        ["POST /ingest/sentry"] = Access.Source,
        ["POST /ingest/email"] = Access.Source,
        ["POST /ingest/bulk"] = Access.Source,
        ["GET /api/workflows/{runId}"] = Access.Agent,
        ["GET /api/tickets/{id}/workflows"] = Access.Agent,
        ["POST /api/tickets/{id}/workflow"] = Access.Agent,
        ["GET /api/agents/health"] = Access.Agent,
        ["GET /api/agents/models"] = Access.Agent,
        ["POST /api/agents/models/retrain"] = Access.Lead,
        ["POST /api/agents/models/{version}/activate"] = Access.Lead,
        ["PUT /api/agents/models/split"] = Access.Lead,
        ["GET /api/kb"] = Access.Agent,
        ["POST /api/kb"] = Access.Lead,
        ["GET /api/kb/search"] = Access.Agent,
        ["GET /api/kb/{id}"] = Access.Agent,
        ["PUT /api/kb/{id}"] = Access.Lead,
        ["DELETE /api/kb/{id}"] = Access.Lead,
    };

    /// <summary>The status a denied caller gets, or null when the caller may use the operation.</summary>
    public static HttpStatusCode? Denial(Access access, Caller caller) => (access, caller) switch
    {
        (Access.Source, _) => HttpStatusCode.Unauthorized,
        (_, Caller.Anonymous or Caller.Customer) => HttpStatusCode.Unauthorized,
        (Access.WebService, _) => HttpStatusCode.Forbidden,
        (Access.Agent, _) => null,
        (Access.Lead, Caller.Agent) => HttpStatusCode.Forbidden,
        (Access.Lead, _) => null,
        (Access.Admin, Caller.Admin) => null,
        (Access.Admin, _) => HttpStatusCode.Forbidden,
        _ => throw new ArgumentOutOfRangeException(nameof(access)),
    };

    public RoleMatrixTests()
    {
        // Sources are on (with secrets), so that their own check answers, not the 404 of a disabled source.
        foreach (var (source, setting) in new[] { ("jira", "Secret"), ("zendesk", "Secret"), ("sentry", "Secret"), ("alertmanager", "Token"), ("email", "Token"), ("bulk", "Token") })
        {
            App.Settings[$"Ingestion:Sources:{source}:{setting}"] = $"{source}-secret-0123456789";
        }
    }

    [Fact]
    public async Task Every_operation_answers_every_caller_as_the_table_decides()
    {
        var (list, _) = await ProductOperations.ReadAsync(App.CreateClient(), Ct);
        var operations = list.ToDictionary(o => o.Key);

        var undecided = operations.Keys.Where(key => !Decisions.ContainsKey(key)).ToList();
        var gone = Decisions.Keys.Where(key => !operations.ContainsKey(key)).ToList();
        Assert.True(undecided.Count == 0, "operations without a decision in the role table: " + string.Join(", ", undecided));
        Assert.True(gone.Count == 0, "decisions for operations no longer in the OpenAPI document: " + string.Join(", ", gone));

        var wrong = new List<string>();
        var callers = Enum.GetValues<Caller>().ToDictionary(caller => caller, ClientFor);
        foreach (var (operation, details) in operations.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var status = await SendAsync(callers[caller], details);
                var denial = Denial(Decisions[operation], caller);
                var ok = denial is { } expected
                    ? status == expected
                    : status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500;
                if (!ok)
                {
                    wrong.Add($"{operation} as {caller}: {(int)status}, expected {(denial is { } d ? ((int)d).ToString() : "allowed")}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    private HttpClient ClientFor(Caller caller)
    {
        var client = App.CreateClient();
        switch (caller)
        {
            case Caller.Customer:
                client.DefaultRequestHeaders.Authorization = new("Bearer", "conversation-" + Guid.NewGuid().ToString("n"));
                break;
            case Caller.Agent or Caller.Lead or Caller.Admin:
                client.DefaultRequestHeaders.Add(WebServiceKey.HeaderName, ServiceKey);
                client.DefaultRequestHeaders.Add(WebServiceKey.UserHeaderName, caller switch { Caller.Agent => "alice", Caller.Lead => "lena", _ => "root" });
                break;
            case Caller.ApiKey:
                client.DefaultRequestHeaders.Add("X-Api-Key", TicketsAppFactory.ApiKey);
                break;
        }
        return client;
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, ApiOperation operation)
    {
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), operation.PathWith(ApiOperation.PlausibleValue));
        if (operation.TakesBody)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
