using AspireTickets.Agents.Intelligence.Text;
using AspireTickets.Agents.Intelligence.Triage;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;

namespace AspireTickets.Agents.Models;

/// <summary>
/// The triage models on record, in the document store so that every agents replica (and a restarted one) sees the
/// same versions, model bytes and rollout. Only the newest <see cref="KeptModels"/> model files are kept; the
/// records of older and rejected versions stay for the history of scores.
/// </summary>
public sealed class TriageModelRegistry(IDocumentStore documents)
{
    /// <summary>The version name of the keyword rules, which need no model.</summary>
    public const string RulesVersion = "rules";

    public const int KeptModels = 5;

    private const string RolloutId = "current";

    private readonly IDocumentCollection<TriageModelVersion> _versions = documents.Collection<TriageModelVersion>("triage_models");
    private readonly IDocumentCollection<TriageModelFile> _files = documents.Collection<TriageModelFile>("triage_model_files");
    private readonly IDocumentCollection<TriageRollout> _rollout = documents.Collection<TriageRollout>("triage_rollout");

    public Task<IReadOnlyList<TriageModelVersion>> ListAsync(CancellationToken ct) => _versions.ListAsync(limit: 200, cancellationToken: ct);

    public Task<TriageModelVersion?> GetAsync(string version, CancellationToken ct) => _versions.GetAsync(version, ct);

    public async Task<TriageRollout> GetRolloutAsync(CancellationToken ct) => await _rollout.GetAsync(RolloutId, ct) ?? TriageRollout.Rules;

    public Task SetRolloutAsync(TriageRollout rollout, CancellationToken ct) =>
        _rollout.UpsertAsync(new StoredDocument<TriageRollout>(RolloutId, rollout, rollout.ChangedAt), ct);

    /// <summary>Records a version, with its model bytes when given, and drops model files beyond the newest few.</summary>
    public async Task AddAsync(TriageModelVersion version, TicketTriage? model, CancellationToken ct)
    {
        if (model is not null)
        {
            using var bytes = new MemoryStream();
            model.Save(bytes);
            await _files.UpsertAsync(new StoredDocument<TriageModelFile>(version.Version, new TriageModelFile(bytes.ToArray()), version.TrainedAt), ct);
        }
        await _versions.UpsertAsync(new StoredDocument<TriageModelVersion>(version.Version, version, version.TrainedAt), ct);
        await PruneAsync(ct);
    }

    /// <summary>The model of a version, answering with the given taxonomy; null for the rules or a version without bytes.</summary>
    public async Task<TicketTriage?> LoadAsync(string version, TicketTaxonomy taxonomy, ITextEncoder? encoder, CancellationToken ct)
    {
        if (version == RulesVersion || await _files.GetAsync(version, ct) is not { } file)
        {
            return null;
        }
        using var stream = new MemoryStream(file.Bytes, writable: false);
        return TicketTriage.Load(stream, taxonomy, encoder);
    }

    // The rollout's versions are never pruned: what is in use must stay loadable.
    private async Task PruneAsync(CancellationToken ct)
    {
        var rollout = await GetRolloutAsync(ct);
        var withModels = (await _versions.ListAsync(limit: 1000, newestFirst: true, cancellationToken: ct)).Where(v => v.HasModel).ToList();
        foreach (var old in withModels.Skip(KeptModels).Where(v => v.Version != rollout.Active && v.Version != rollout.Candidate))
        {
            await _files.DeleteAsync(old.Version, ct);
            await _versions.UpsertAsync(new StoredDocument<TriageModelVersion>(old.Version, old with { HasModel = false }, old.TrainedAt), ct);
        }
    }
}

/// <summary>A model's bytes (<see cref="TicketTriage.Save"/>), stored apart from the version records so listing stays light.</summary>
public sealed record TriageModelFile(byte[] Bytes);
