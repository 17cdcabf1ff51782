using System.Globalization;
using AspireTickets.Agents.Intelligence.Text;
using AspireTickets.Agents.Intelligence.Triage;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Locking;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.Options;

namespace AspireTickets.Agents.Models;

/// <summary>
/// Holds the triage models the workflow uses and runs their life cycle: retrain from the store's resolved and closed
/// tickets (whose category and priority are what people finally decided, corrections included), judge the new model
/// against the one in use on held-out recent history, promote it only when it scores better, keep versions to roll
/// back to, and split tickets between the active model and a candidate (A/B). Keyword rules answer (with low
/// confidence) until a model has been promoted. Versions and rollout live in <see cref="TriageModelRegistry"/>, so
/// every replica uses the same models; each re-reads the rollout now and then (<see cref="RefreshAsync"/>). With a
/// sentence encoder configured (<see cref="TriageTrainingOptions.Encoder"/>), models read its vectors too.
/// </summary>
public sealed class TriageModelHost(
    TriageModelRegistry registry,
    IDistributedLock locks,
    IOptionsMonitor<TicketTaxonomy> taxonomy,
    IOptionsMonitor<AgentsOptions> options,
    TimeProvider time,
    ILogger<TriageModelHost> logger,
    ITextEncoder? encoder = null)
{
    private const string RetrainLock = "agents:triage-retrain";
    private static readonly TimeSpan RetrainLease = TimeSpan.FromMinutes(30);

    private volatile LoadedModels _models = LoadedModels.Rules;

    /// <summary>The active version: <see cref="TriageModelRegistry.RulesVersion"/> until a model is promoted.</summary>
    public string Version => _models.Rollout.Active;

    public TriageRollout Rollout => _models.Rollout;

    /// <summary>The active model, answering with the current taxonomy.</summary>
    public TicketTriage Current => WithCurrentTaxonomy(_models.Active);

    /// <summary>
    /// The model for one ticket: the candidate for the tickets the A/B split gives it (a stable hash of the id, so
    /// re-runs agree), the active model for the others.
    /// </summary>
    public (TicketTriage Model, string Version) For(Guid ticketId)
    {
        var models = _models;
        if (models.Candidate is { } candidate && models.Rollout.Candidate is { } candidateVersion && SplitBucket(ticketId) < models.Rollout.CandidateShare)
        {
            return (WithCurrentTaxonomy(candidate), candidateVersion);
        }
        return (WithCurrentTaxonomy(models.Active), models.Rollout.Active);
    }

    /// <summary>Loads the rollout's models; false while triage runs on keyword rules only.</summary>
    public async Task<bool> LoadAsync(CancellationToken ct)
    {
        var rollout = await registry.GetRolloutAsync(ct);
        var active = await LoadVersionAsync(rollout.Active, ct);
        var candidate = rollout.Candidate is { } c ? await LoadVersionAsync(c, ct) : null;
        if (active is null && rollout.Active != TriageModelRegistry.RulesVersion)
        {
            logger.LogWarning("The active triage model {Version} cannot be loaded; keyword rules answer until one is promoted", rollout.Active);
            rollout = rollout with { Active = TriageModelRegistry.RulesVersion };
        }
        _models = new LoadedModels(rollout, active ?? new TicketTriage(taxonomy.CurrentValue), candidate);
        return active is not null;
    }

    /// <summary>Picks up a rollout changed by another replica or through the Api.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var stored = await registry.GetRolloutAsync(ct);
        var current = _models.Rollout;
        if (stored.Active != current.Active || stored.Candidate != current.Candidate || stored.CandidateShare != current.CandidateShare)
        {
            await LoadAsync(ct);
        }
    }

    /// <summary>
    /// Trains a model on all but the newest history, scores it and the active model on that newest part, and promotes
    /// it (refitted on all history) only when it scores better. No version when there is not enough labelled history,
    /// or when a retrain (here or on another replica) is running.
    /// </summary>
    public async Task<TriageRetrain> RetrainAsync(ITicketStore store, CancellationToken ct)
    {
        var lease = await locks.TryAcquireAsync(RetrainLock, RetrainLease, ct);
        if (lease is null)
        {
            logger.LogInformation("A triage retrain is already running");
            return new TriageRetrain(null, Busy: true);
        }
        try
        {
            await RefreshAsync(ct);
            return new TriageRetrain(await RetrainLockedAsync(store, ct), Busy: false);
        }
        finally
        {
            await locks.ReleaseAsync(lease, CancellationToken.None);
        }
    }

    /// <summary>Makes a version the active one (a rollback, or promoting an A/B candidate).</summary>
    public async Task<TriageRollout> ActivateAsync(string version, string actor, CancellationToken ct)
    {
        await EnsureLoadableAsync(version, ct);
        var rollout = await registry.GetRolloutAsync(ct);
        var candidate = rollout.Candidate == version ? null : rollout.Candidate;
        var changed = new TriageRollout(version, candidate, candidate is null ? 0 : rollout.CandidateShare, time.GetUtcNow(), actor);
        await registry.SetRolloutAsync(changed, ct);
        await LoadAsync(ct);
        logger.LogInformation("{Actor} made triage model {Version} active (was {Previous})", actor, version, rollout.Active);
        return changed;
    }

    /// <summary>Sends <paramref name="share"/> of the tickets to <paramref name="candidate"/>; null or 0 ends the split.</summary>
    public async Task<TriageRollout> SplitAsync(string? candidate, double share, string actor, CancellationToken ct)
    {
        if (candidate is not null && share > 0)
        {
            await EnsureLoadableAsync(candidate, ct);
        }
        var rollout = await registry.GetRolloutAsync(ct);
        var changed = candidate is null || share <= 0
            ? rollout with { Candidate = null, CandidateShare = 0, ChangedAt = time.GetUtcNow(), ChangedBy = actor }
            : rollout with { Candidate = candidate, CandidateShare = share, ChangedAt = time.GetUtcNow(), ChangedBy = actor };
        await registry.SetRolloutAsync(changed, ct);
        await LoadAsync(ct);
        return changed;
    }

    private async Task<TriageModelVersion?> RetrainLockedAsync(ITicketStore store, CancellationToken ct)
    {
        var settings = options.CurrentValue.Triage;
        var categories = taxonomy.CurrentValue;
        var history = await LoadHistoryAsync(store, settings.MaxTrainingTickets, ct);
        var training = new TriageOptions { MinimumExamplesPerLabel = settings.MinimumExamplesPerLabel };

        var (older, heldOut) = TriageModelEvaluation.SplitByTime(history, settings.HeldOutShare);
        var candidate = await Task.Run(() => TicketTriage.Train(older, categories, training, encoder, ct), ct);
        if (history.Count < 2 || candidate.CategoryModel is null && candidate.PriorityModel is null)
        {
            logger.LogInformation("Triage keeps {Version}: {Count} resolved tickets are not enough labelled history", Version, history.Count);
            return null;
        }

        var models = _models;
        var scores = TriageModelEvaluation.Score(candidate, categories, heldOut);
        var baseline = TriageModelEvaluation.Score(models.Rollout.Active == TriageModelRegistry.RulesVersion ? null : models.Active, categories, heldOut);
        var trainedAt = time.GetUtcNow();
        var version = await NewVersionNameAsync(trainedAt, history.Count, ct);
        var better = scores.Combined > baseline.Combined + settings.MinimumImprovement;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"held-out macro-F1 {scores.Combined:0.000} vs {baseline.Combined:0.000} for {models.Rollout.Active} on the newest {heldOut.Count} tickets");

        TicketTriage? promoted = null;
        if (better)
        {
            // Judged on the older part; what goes into use also learns from the newest tickets.
            promoted = await Task.Run(() => TicketTriage.Train(history, categories, training, encoder, ct), ct);
        }
        var record = new TriageModelVersion(version, trainedAt, history.Count, heldOut.Count, scores, models.Rollout.Active, baseline,
            better ? TriageModelDecision.Promoted : TriageModelDecision.Rejected, reason,
            HasModel: better, Encoder: candidate.CategoryModel?.EncoderName ?? candidate.PriorityModel?.EncoderName);
        await registry.AddAsync(record, promoted, ct);

        if (better)
        {
            var rollout = await registry.GetRolloutAsync(ct);
            await registry.SetRolloutAsync(rollout with { Active = version, ChangedAt = trainedAt, ChangedBy = "retraining" }, ct);
            await LoadAsync(ct);
            logger.LogInformation("Triage model {Version} promoted: {Reason}", version, reason);
        }
        else
        {
            logger.LogInformation("Triage model {Version} rejected, {Active} stays: {Reason}", version, models.Rollout.Active, reason);
        }
        return record;
    }

    // Newest first, so that the held-out part is the most recent history.
    private static async Task<List<TriageExample>> LoadHistoryAsync(ITicketStore store, int max, CancellationToken ct)
    {
        var examples = new List<TriageExample>();
        for (var page = 1; examples.Count < max; page++)
        {
            var result = await store.QueryAsync(new TicketQuery
            {
                Statuses = [TicketStatus.Resolved, TicketStatus.Closed],
                SortBy = TicketSortField.Updated,
                Descending = true,
                Page = page,
                PageSize = TicketQuery.MaxPageSize,
            }, ct);
            examples.AddRange(result.Items.Take(max - examples.Count).Select(t => new TriageExample(t.Title, t.Description, t.Category, t.Priority)));
            if (result.Items.Count < TicketQuery.MaxPageSize)
            {
                break;
            }
        }
        return examples;
    }

    private async Task<string> NewVersionNameAsync(DateTimeOffset trainedAt, int examples, CancellationToken ct)
    {
        var name = $"model-{trainedAt.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-n{examples}";
        var unique = name;
        for (var n = 2; await registry.GetAsync(unique, ct) is not null; n++)
        {
            unique = $"{name}-{n}";
        }
        return unique;
    }

    private async Task EnsureLoadableAsync(string version, CancellationToken ct)
    {
        if (version == TriageModelRegistry.RulesVersion)
        {
            return;
        }
        var record = await registry.GetAsync(version, ct) ?? throw new TriageModelNotFoundException(version);
        if (!record.HasModel)
        {
            throw new TriageModelUnavailableException(version, record.Decision == TriageModelDecision.Rejected
                ? "it was rejected when trained, so its model was not kept"
                : $"its model was pruned (only the newest {TriageModelRegistry.KeptModels} are kept)");
        }
    }

    // A rollout change usually keeps one of the models in use (a split keeps the active one, a rollback may pick
    // the candidate): those are reused instead of read and deserialized again.
    private async Task<TicketTriage?> LoadVersionAsync(string version, CancellationToken ct)
    {
        var loaded = _models;
        if (version == loaded.Rollout.Active && version != TriageModelRegistry.RulesVersion)
        {
            return loaded.Active;
        }
        if (version == loaded.Rollout.Candidate && loaded.Candidate is not null)
        {
            return loaded.Candidate;
        }
        try
        {
            return await registry.LoadAsync(version, taxonomy.CurrentValue, encoder, ct);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or InvalidOperationException)
        {
            logger.LogWarning(e, "Triage model {Version} is unreadable", version);
            return null;
        }
    }

    private TicketTriage WithCurrentTaxonomy(TicketTriage model)
    {
        var current = taxonomy.CurrentValue;
        return ReferenceEquals(model.Taxonomy, current) ? model : new TicketTriage(current, model.CategoryModel, model.PriorityModel);
    }

    /// <summary>A ticket's place in [0, 1) for the A/B split: stable across processes (not string.GetHashCode).</summary>
    public static double SplitBucket(Guid ticketId)
    {
        Span<byte> bytes = stackalloc byte[16];
        ticketId.TryWriteBytes(bytes);
        var hash = System.IO.Hashing.XxHash3.HashToUInt64(bytes);
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    private sealed record LoadedModels(TriageRollout Rollout, TicketTriage Active, TicketTriage? Candidate)
    {
        public static readonly LoadedModels Rules = new(TriageRollout.Rules, new TicketTriage(new TicketTaxonomy()), null);
    }
}

/// <summary>A retrain's result: the version it recorded, or none (not enough history, or <see cref="Busy"/> with another retrain).</summary>
public sealed record TriageRetrain(TriageModelVersion? Version, bool Busy);

public sealed class TriageModelNotFoundException(string version) : Exception($"There is no triage model version '{version}'.")
{
    public string Version { get; } = version;
}

public sealed class TriageModelUnavailableException(string version, string reason) : Exception($"Triage model version '{version}' cannot be used: {reason}.")
{
    public string Version { get; } = version;
}
