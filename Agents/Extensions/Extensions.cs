using System.Text.Json.Serialization;
using AspireTickets.Agents.Apis;
using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Agents.Intelligence.Text;
using AspireTickets.Agents.Llm;
using AspireTickets.Agents.Models;
using AspireTickets.Agents.Quality;
using AspireTickets.Agents.Resolution;
using AspireTickets.Agents.Similarity;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain;
using AspireTickets.Domain.Similarity;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Infrastructure.Auth;
using AspireTickets.Infrastructure.Caching;
using AspireTickets.Infrastructure.Documents;
using AspireTickets.Infrastructure.Events;
using AspireTickets.Infrastructure.RateLimiting;
using AspireTickets.Infrastructure.Similarity.Qdrant;
using AspireTickets.Infrastructure.Sla;
using AspireTickets.Infrastructure.Storage;
using AspireTickets.Infrastructure.Taxonomy;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AspireTickets.Agents.Extensions;

public static class Extensions
{
    /// <summary>
    /// Registers the agent workflow, its event-log consumers and the local models (and the language model when configured).
    /// The similarity index (<see cref="TicketSimilarityIndex"/>) keeps its dense vectors in the registered
    /// <see cref="IVectorIndex"/>, chosen by <c>ConnectionStrings:qdrant_http</c> alone: Qdrant when set, else an in-process
    /// index that the similarity index saves and loads with its IDF statistics and texts, so they stay consistent.
    /// </summary>
    public static IHostApplicationBuilder AddTicketAgents(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        builder.AddTicketStore();
        builder.AddDocumentStore();
        // The update step moves the SLA due times when triage changes the priority or category.
        builder.AddSlaPolicies();
        // The update step stores ticket.analyzed in the ticket store's outbox; the dispatcher publishes it.
        builder.AddOutboxDispatcher();
        services.TryAddSingleton(TimeProvider.System);
        // The categories a lead saved (over configuration), re-read now and then when the agents run as their own service.
        builder.AddStoredTaxonomy();
        services.AddOptions<AgentsOptions>().BindConfiguration(AgentsOptions.SectionName);
        // The same staff authentication and roles as the Api: in the distributed run this service stands alone.
        builder.AddTicketsAuthentication();
        builder.AddTicketsRateLimits();
        services.ConfigureHttpJsonOptions(options =>
        {
            if (!options.SerializerOptions.Converters.OfType<JsonStringEnumConverter>().Any())
            {
                options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            }
        });

        services.AddSingleton(new AgentsPaths(Path.Combine(TicketStorageOptions.ResolveDataDirectory(builder), "agents")));
        services.AddSingleton<AgentsReadiness>();
        var dimensions = new LocalEmbeddingOptions().Dimensions;
        if (!builder.TryAddQdrantVectorIndex(dimensions))
        {
            services.AddSingleton<IVectorIndex>(_ => new InMemoryVectorIndex(dimensions));
        }
        services.AddSingleton<TicketSimilarityIndex>();
        services.AddSingleton<KnowledgeBase.KnowledgeBase>();
        // The triage retrain runs on one replica at a time (the lease), like the escalation check.
        builder.AddTicketsCache();
        services.AddSingleton<TriageModelRegistry>();
        // The encoder's weights load on first use; the cache lets the category and priority models (and a retrain's
        // judgement and refit) share one encoding of each ticket: two texts (title, whole ticket) per ticket of the
        // largest history, plus room for the tickets being triaged (384 floats each, so 20,000 tickets take ~70 MB).
        var triage = builder.Configuration.GetSection($"{AgentsOptions.SectionName}:Triage").Get<TriageTrainingOptions>() ?? new TriageTrainingOptions();
        if (TextEncoders.Create(triage.Encoder) is { } encoder)
        {
            services.AddSingleton<ITextEncoder>(_ => new CachedTextEncoder(encoder, capacity: (2 * triage.MaxTrainingTickets) + 4096));
        }
        services.AddSingleton<TriageModelHost>();
        services.AddSingleton<ExtractiveResolver>();
        services.AddSingleton<SuggestionQualityChecker>();
        services.AddSingleton<LocalTriageAgent>();
        services.AddSingleton<LocalResolutionAgent>();
        services.AddSingleton<LocalQualityAgent>();

        var llm = builder.Configuration.GetConnectionString(ConnectionNames.Llm);
        if (!string.IsNullOrWhiteSpace(llm))
        {
            builder.AddLanguageModelAgents(llm);
        }
        else
        {
            services.AddSingleton<ITriageAgent>(sp => sp.GetRequiredService<LocalTriageAgent>());
            services.AddSingleton<IResolutionAgent>(sp => sp.GetRequiredService<LocalResolutionAgent>());
            services.AddSingleton<IQualityAgent>(sp => sp.GetRequiredService<LocalQualityAgent>());
        }

        services.AddSingleton<WorkflowRunStore>();
        services.AddSingleton<AnalysisWriter>();
        services.AddSingleton<TicketWorkflow>();
        services.AddSingleton<WorkflowQueue>();
        services.AddHostedService<AgentsStartup>();
        services.AddHostedService<WorkflowQueueWorker>();
        if (builder.Configuration.GetValue($"{AgentsOptions.SectionName}:Workflow:ConsumeEvents", true))
        {
            builder.AddEventHandler<AgentEventHandler>(AgentEventHandler.ConsumerGroup, AgentEventHandler.EventTypes);
        }

        return builder;
    }

    /// <summary>
    /// The standalone service's pipeline (problem details, authentication, authorization) and its endpoints. In the
    /// embedded run the Api module has set up the pipeline already, so the host calls <see cref="MapTicketAgents"/> only.
    /// </summary>
    public static WebApplication UseTicketAgents(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapTicketAgents();
        return app;
    }

    public static IEndpointRouteBuilder MapTicketAgents(this IEndpointRouteBuilder app)
    {
        app.MapWorkflowsApi();
        app.MapTriageModelsApi();
        app.MapKnowledgeBaseApi();
        return app;
    }
}
