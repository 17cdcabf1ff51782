using System.Globalization;
using AspireTickets.Agents.Intelligence.Triage;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.Options;

namespace AspireTickets.Agents.Models;

/// <summary>
/// Holds the triage model the workflow uses: classifiers trained from the store's resolved and closed tickets once
/// enough labelled history exists, keyword rules (low confidence) before. Retrained at start and on a schedule; the
/// trained model is saved under the data folder so a restart does not wait for training.
/// </summary>
public sealed class TriageModelHost(IOptionsMonitor<TicketTaxonomy> taxonomy, IOptionsMonitor<AgentsOptions> options, TimeProvider time, ILogger<TriageModelHost> logger)
{
    private volatile TicketTriage? _triage;

    /// <summary>"rules" until a model is trained, then "model-{trained at}-n{examples}".</summary>
    public string Version { get; private set; } = "rules";

    public int TrainingExamples { get; private set; }

    public DateTimeOffset? TrainedAt { get; private set; }

    /// <summary>The current model, always answering with the current taxonomy.</summary>
    public TicketTriage Current
    {
        get
        {
            var current = _triage;
            var categories = taxonomy.CurrentValue;
            if (current is null || !ReferenceEquals(current.Taxonomy, categories))
            {
                current = new TicketTriage(categories, current?.CategoryModel, current?.PriorityModel);
                _triage = current;
            }
            return current;
        }
    }

    public async Task<bool> TryLoadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            await using var stream = File.OpenRead(path);
            var loaded = TicketTriage.Load(stream, taxonomy.CurrentValue);
            _triage = loaded;
            Version = $"model-{File.GetLastWriteTimeUtc(path).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or FormatException or InvalidOperationException)
        {
            logger.LogWarning(e, "Ignoring the unreadable triage model at {Path}; it will be retrained", path);
            return false;
        }
    }

    /// <summary>Trains from the store's history; false (rules stay) when there is not enough labelled history.</summary>
    public async Task<bool> RetrainAsync(ITicketStore store, string? savePath, CancellationToken ct)
    {
        var settings = options.CurrentValue.Triage;
        var examples = new List<TriageExample>();
        for (var page = 1; examples.Count < settings.MaxTrainingTickets; page++)
        {
            var result = await store.QueryAsync(new TicketQuery
            {
                Statuses = [TicketStatus.Resolved, TicketStatus.Closed],
                SortBy = TicketSortField.Updated,
                Page = page,
                PageSize = TicketQuery.MaxPageSize,
            }, ct);
            examples.AddRange(result.Items.Select(t => new TriageExample(t.Title, t.Description, t.Category, t.Priority)));
            if (result.Items.Count < TicketQuery.MaxPageSize)
            {
                break;
            }
        }

        var trained = await Task.Run(
            () => TicketTriage.Train(examples, taxonomy.CurrentValue, new TriageOptions { MinimumExamplesPerLabel = settings.MinimumExamplesPerLabel }), ct);
        if (trained.CategoryModel is null && trained.PriorityModel is null)
        {
            logger.LogInformation("Triage keeps its keyword rules: {Count} resolved tickets are not enough labelled history", examples.Count);
            return false;
        }

        _triage = trained;
        TrainedAt = time.GetUtcNow();
        TrainingExamples = examples.Count;
        Version = $"model-{TrainedAt.Value.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-n{examples.Count}";
        logger.LogInformation("Triage model {Version} trained from {Count} resolved tickets", Version, examples.Count);
        if (savePath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(savePath)!);
            var temp = savePath + ".tmp";
            await using (var stream = File.Create(temp))
            {
                trained.Save(stream);
            }
            File.Move(temp, savePath, overwrite: true);
        }
        return true;
    }
}
