using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Agents.Intelligence.Triage;
using AspireTickets.Domain.Similarity;
using AspireTickets.Domain.Taxonomy;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AspireTickets.Agents.Extensions;

public static class Extensions
{
    /// <summary>Registers the agent workflow, its event-log consumers and the local models.</summary>
    public static IHostApplicationBuilder AddTicketAgents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLocalIntelligence();
        return builder;
    }

    public static IEndpointRouteBuilder MapTicketAgents(this IEndpointRouteBuilder app)
    {
        return app;
    }

    /// <summary>
    /// The models that need neither a download nor a language model: hashed TF-IDF embeddings, the in-process
    /// vector index (persisted under Tickets:DataDirectory), hybrid duplicate search and rule/model triage.
    /// Registered with TryAdd so a distributed adapter (e.g. Qdrant for IVectorIndex) can take precedence.
    /// </summary>
    public static IHostApplicationBuilder AddLocalIntelligence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TicketTaxonomy>().BindConfiguration("Tickets:Taxonomy");
        services.TryAddSingleton(_ => new LocalEmbeddingGenerator());
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<LocalEmbeddingGenerator>());

        var dataDirectory = builder.Configuration["Tickets:DataDirectory"] ?? "./data";
        var indexPath = Path.Combine(dataDirectory, "vectors.bin");
        services.TryAddSingleton(sp => VectorIndexPersistence.LoadOrCreate(
            indexPath,
            sp.GetRequiredService<LocalEmbeddingGenerator>().Options.Dimensions,
            sp.GetRequiredService<ILogger<VectorIndexPersistence>>()));
        services.TryAddSingleton<IVectorIndex>(sp => sp.GetRequiredService<InMemoryVectorIndex>());
        services.AddHostedService(sp => new VectorIndexPersistence(
            sp.GetRequiredService<IVectorIndex>(), indexPath, sp.GetRequiredService<ILogger<VectorIndexPersistence>>()));

        services.TryAddSingleton(sp => new DuplicateFinder(
            sp.GetRequiredService<IVectorIndex>(), new DuplicateFinderOptions(), sp.GetRequiredService<LocalEmbeddingGenerator>()));
        // Rules until a model trained on the team's own history is promoted (see the learning loop).
        services.TryAddSingleton(sp => new TicketTriage(sp.GetRequiredService<IOptions<TicketTaxonomy>>().Value));
        return builder;
    }
}
