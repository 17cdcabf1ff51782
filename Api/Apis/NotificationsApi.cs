using AspireTickets.Api.Model;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Infrastructure.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using AspireTickets.Domain.Text;

namespace AspireTickets.Api.Apis;

/// <summary>Notification channels (stored) and the record of every delivery with its attempts and errors.</summary>
public static class NotificationsApi
{
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        // Channels hold webhook secrets and SMTP settings: a lead-level setting, as in the Web's settings page.
        var channels = app.MapGroup("/api/notification-channels").WithTags("Notifications").RequireAuthorization(TicketsPolicies.Lead);
        channels.MapGet("/", ListChannels).WithName("ListNotificationChannels").WithSummary("Stored channels and the configured SQS queue");
        channels.MapGet("/{id}", GetChannel).WithName("GetNotificationChannel");
        channels.MapPost("/", CreateChannel).WithName("CreateNotificationChannel").WithSummary("Add a webhook, Slack or e-mail channel");
        channels.MapPut("/{id}", PutChannel).WithName("PutNotificationChannel").WithSummary("Replace a channel (an omitted secret is kept)");
        channels.MapDelete("/{id}", DeleteChannel).WithName("DeleteNotificationChannel");

        var deliveries = app.MapGroup("/api/notifications/deliveries").WithTags("Notifications").RequireAuthorization(TicketsPolicies.Agent);
        deliveries.MapGet("/", ListDeliveries).WithName("ListNotificationDeliveries").WithSummary("Deliveries, newest first; filter by status (pending, delivered, failed) and channelId");
        deliveries.MapPost("/retry", RetryDue).WithName("RetryNotificationDeliveries").WithSummary("Retry the pending deliveries whose backoff has passed, now").RequireAuthorization(TicketsPolicies.Lead);

        return app;
    }

    public static async Task<Ok<IReadOnlyList<NotificationChannelView>>> ListChannels(NotificationChannelStore store, ConfiguredChannels configured, CancellationToken ct)
    {
        var stored = await store.ListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<NotificationChannelView>>(
            [.. stored.Select(c => NotificationChannelView.From(c)), .. configured.Channels.Select(c => NotificationChannelView.From(c, configured: true))]);
    }

    public static async Task<Results<Ok<NotificationChannelView>, ProblemHttpResult>> GetChannel(string id, NotificationChannelStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } channel ? TypedResults.Ok(NotificationChannelView.From(channel)) : NotFound(id);

    public static async Task<Results<Created<NotificationChannelView>, ValidationProblem>> CreateChannel(
        NotificationChannelRequest request, NotificationChannelStore store, TimeProvider time, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        var channel = NotificationChannelValidation.ToChannel(request, null, Guid.CreateVersion7().ToString("N"), time.GetUtcNow(), errors);
        if (channel is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        await store.UpsertAsync(channel, ct);
        return TypedResults.Created($"/api/notification-channels/{channel.Id}", NotificationChannelView.From(channel));
    }

    public static async Task<Results<Ok<NotificationChannelView>, ProblemHttpResult, ValidationProblem>> PutChannel(
        string id, NotificationChannelRequest request, NotificationChannelStore store, TimeProvider time, CancellationToken ct)
    {
        var existing = await store.GetAsync(id, ct);
        if (existing is null)
        {
            return NotFound(id);
        }
        var errors = new TicketValidation.Errors();
        var channel = NotificationChannelValidation.ToChannel(request, existing, id, time.GetUtcNow(), errors);
        if (channel is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        await store.UpsertAsync(channel, ct);
        return TypedResults.Ok(NotificationChannelView.From(channel));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteChannel(string id, NotificationChannelStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id);

    public static async Task<Results<Ok<IReadOnlyList<NotificationDelivery>>, ValidationProblem>> ListDeliveries(
        [FromQuery] string? status, [FromQuery] int? limit, [FromQuery] string? channelId, NotificationDispatcher dispatcher, CancellationToken ct)
    {
        var errors = new TicketValidation.Errors();
        DeliveryStatus? filter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (EnumNames.TryParse<DeliveryStatus>(status, out var parsed))
            {
                filter = parsed;
            }
            else
            {
                errors.Add("status", "Use pending, delivered or failed.");
            }
        }
        if (limit is < 1 or > MaxListLimit)
        {
            errors.Add("limit", $"The limit must be between 1 and {MaxListLimit}.");
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return TypedResults.Ok(await dispatcher.ListAsync(filter, limit ?? 100, string.IsNullOrWhiteSpace(channelId) ? null : channelId.Trim(), ct));
    }

    public static async Task<Ok<RetryResult>> RetryDue(NotificationDispatcher dispatcher, CancellationToken ct) =>
        TypedResults.Ok(new RetryResult(await dispatcher.RetryDueAsync(ct)));

    public sealed record RetryResult(int Retried);

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"There is no notification channel '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Channel not found");
}
