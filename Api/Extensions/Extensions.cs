using System.Text.Json.Serialization;
using AspireTickets.Api.Apis;
using AspireTickets.Api.Hubs;
using AspireTickets.Api.Infrastructure;
using AspireTickets.Api.Seeding;
using AspireTickets.Api.Services;
using AspireTickets.Domain;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Infrastructure.Documents;
using AspireTickets.Infrastructure.Escalation;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Infrastructure.RateLimiting;
using AspireTickets.Infrastructure.Sla;
using AspireTickets.Infrastructure.Storage;
using AspireTickets.Infrastructure.Taxonomy;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace AspireTickets.Api.Extensions;

public static class Extensions
{
    /// <summary>Registers the REST API's services: storage, the event log with the outbox dispatcher, authentication, problem details, OpenAPI.</summary>
    public static IHostApplicationBuilder AddTicketsApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        builder.AddTicketStore();
        builder.AddDocumentStore();
        builder.AddSlaPolicies();
        builder.AddTicketOperations();
        builder.AddOutboxDispatcher();
        services.TryAddSingleton(TimeProvider.System);
        builder.AddStoredTaxonomy();
        services.AddSingleton<TicketCommands>();
        services.AddHostedService<DemoSeeder>();
        services.AddHostedService<BootstrapAdminSeeder>();

        // Live updates to the Web; with a Redis cache configured, changes reach clients of every replica.
        var signalR = services.AddSignalR();
        if (builder.Configuration.GetConnectionString(ConnectionNames.Cache) is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, options => options.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("aspiretickets"));
        }
        services.AddSingleton<ITicketChangeNotifier, HubTicketChangeNotifier>();
        builder.AddEventHandler<LiveUpdatesEventHandler>(LiveUpdatesEventHandler.ConsumerGroup);

        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });

        // Binding failures throw so that ProblemExceptionHandler can name the offending field.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = RequestBodyLimitMiddleware.DefaultLimitBytes);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();

        builder.AddTicketsAuthentication();
        builder.AddTicketsRateLimits();

        services.AddOpenApi();

        return builder;
    }

    /// <summary>Adds the API's middleware (problem details, body limits, authentication) and maps its endpoints.</summary>
    public static WebApplication UseTicketsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();

        // The API description is documentation, not data: it stays readable without a key.
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api-docs").AllowAnonymous();

        app.MapTicketsApi();
        app.MapAnalyticsApi();
        app.MapSlaPoliciesApi();
        app.MapEscalationsApi();
        app.MapNotificationsApi();
        app.MapSuggestionApi();
        app.MapUsersApi();
        app.MapTaxonomyApi();
        app.MapHub<TicketsHub>(TicketsHub.Path).RequireAuthorization(TicketsPolicies.Agent);
        app.MapDeadLettersApi();

        return app;
    }
}
