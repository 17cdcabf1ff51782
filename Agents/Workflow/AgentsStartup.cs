using AspireTickets.Agents.Models;
using AspireTickets.Agents.Similarity;
using AspireTickets.Domain.Storage;
using Microsoft.Extensions.Options;

namespace AspireTickets.Agents.Workflow;

/// <summary>Where the agents keep their files: <c>{data folder}/agents</c>.</summary>
public sealed record AgentsPaths(string Directory)
{
    public string SimilarityIndex => Path.Combine(Directory, "similarity");
}

/// <summary>
/// Brings the local models up and keeps them fresh: loads the triage models in use and the saved similarity index, reconciles the
/// index with the store, loads the knowledge base, opens <see cref="AgentsReadiness"/>, then trains the triage model
/// when none is in use yet, retrains on a schedule (promoting only better models), follows rollout changes, and saves the
/// index now and then and at shutdown.
/// </summary>
public sealed class AgentsStartup(
    ITicketStore store,
    TicketSimilarityIndex index,
    KnowledgeBase.KnowledgeBase knowledge,
    TriageModelHost triage,
    AgentsReadiness readiness,
    AgentsPaths paths,
    IOptionsMonitor<AgentsOptions> options,
    TimeProvider time,
    ILogger<AgentsStartup> logger) : BackgroundService
{
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loadedModel = false;
        try
        {
            loadedModel = await triage.LoadAsync(stoppingToken);
            var embedded = await index.SyncFromStoreAsync(store, paths.SimilarityIndex, stoppingToken);
            var articles = await knowledge.LoadAsync(stoppingToken);
            logger.LogInformation("Agents ready: {Tickets} tickets indexed ({Embedded} embedded now), {Articles} articles, triage {Version}",
                index.Count, embedded, articles, triage.Version);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Building the agents' indexes failed; the workflow runs with what is loaded");
        }
        finally
        {
            readiness.MarkReady();
        }

        if (!loadedModel)
        {
            await RetrainAsync(stoppingToken);
        }
        await SaveAsync(stoppingToken);

        var lastTrained = time.GetUtcNow();
        using var timer = new PeriodicTimer(SaveInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await SaveAsync(stoppingToken);
            await RefreshModelsAsync(stoppingToken);
            if (time.GetUtcNow() - lastTrained >= options.CurrentValue.Triage.RetrainInterval)
            {
                await RetrainAsync(stoppingToken);
                lastTrained = time.GetUtcNow();
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (readiness.IsReady)
        {
            await SaveAsync(cancellationToken);
        }
    }

    private async Task RetrainAsync(CancellationToken ct)
    {
        try
        {
            await triage.RetrainAsync(store, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Training the triage model failed; triage keeps {Version}", triage.Version);
        }
    }

    // Another replica may have promoted a model, or a lead rolled back or started an A/B split.
    private async Task RefreshModelsAsync(CancellationToken ct)
    {
        try
        {
            await triage.RefreshAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Reading the triage rollout failed; triage keeps {Version}", triage.Version);
        }
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await index.SaveAsync(paths.SimilarityIndex, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Saving the similarity index failed; it is rebuilt from the store at next start");
        }
    }
}
