using AspireTickets.Agents.Intelligence.Text;
using AspireTickets.Agents.Models;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Documents;
using AspireTickets.Infrastructure.Locking;
using AspireTickets.Infrastructure.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AspireTickets.Tests.Agents;

/// <summary>Retrain → judge on held-out history → promote only when better; versions, rollback and the A/B split.</summary>
public sealed class TriageModelLifecycleTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aspiretickets-triage-models-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero));
    private SqliteTicketStore _store = null!;
    private SqliteDocumentStore _documents = null!;
    private InProcessDistributedLock _locks = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteTicketStore(_directory, _time);
        _documents = new SqliteDocumentStore(_directory);
        _locks = new InProcessDistributedLock(_time);
        await SeedResolvedAsync(200, seed: 7);
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_retrained_model_is_promoted_only_when_it_beats_the_active_one_on_held_out_history()
    {
        var host = NewHost();
        await host.LoadAsync(Ct);
        Assert.Equal(TriageModelRegistry.RulesVersion, host.Version);

        var first = (await host.RetrainAsync(_store, Ct)).Version;

        Assert.NotNull(first);
        Assert.Equal(TriageModelDecision.Promoted, first.Decision);
        Assert.Equal(TriageModelRegistry.RulesVersion, first.BaselineVersion);
        Assert.Equal(40, first.HeldOutExamples);
        Assert.True(first.Scores.Combined > first.BaselineScores.Combined, first.Reason);
        Assert.True(first.HasModel);
        Assert.Equal(first.Version, host.Version);
        Assert.Equal("billing", host.Current.Triage("Refund for the invoice I was charged twice", null).Category);

        // The active model has learned from the held-out tickets too, so a model trained without them cannot beat it.
        _time.Advance(TimeSpan.FromHours(6));
        var second = (await host.RetrainAsync(_store, Ct)).Version;

        Assert.NotNull(second);
        Assert.Equal(TriageModelDecision.Rejected, second.Decision);
        Assert.Equal(first.Version, second.BaselineVersion);
        Assert.False(second.HasModel);
        Assert.Equal(first.Version, host.Version);
        var versions = await new TriageModelRegistry(_documents).ListAsync(Ct);
        Assert.Equal([second.Version, first.Version], versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Another_replica_uses_the_promoted_model_and_follows_a_rollback()
    {
        var trainer = NewHost();
        await trainer.LoadAsync(Ct);
        var promoted = (await trainer.RetrainAsync(_store, Ct)).Version;
        var replica = NewHost();

        Assert.NotNull(promoted);
        Assert.True(await replica.LoadAsync(Ct));
        Assert.Equal(promoted.Version, replica.Version);
        foreach (var text in new[] { "Login locked after password reset", "Pages take seconds to load, timeout", "Crash with exception on button" })
        {
            Assert.Equal(trainer.Current.Triage(text, null), replica.Current.Triage(text, null));
        }

        await trainer.ActivateAsync(TriageModelRegistry.RulesVersion, "lead@example.test", Ct);
        await replica.RefreshAsync(Ct);

        Assert.Equal(TriageModelRegistry.RulesVersion, replica.Version);
        Assert.Equal("rules", replica.Current.Triage("Login locked after password reset", null).Source);
        var rollout = await new TriageModelRegistry(_documents).GetRolloutAsync(Ct);
        Assert.Equal("lead@example.test", rollout.ChangedBy);
    }

    [Fact]
    public async Task Unknown_and_rejected_versions_cannot_be_activated()
    {
        var host = NewHost();
        await host.LoadAsync(Ct);
        var promoted = (await host.RetrainAsync(_store, Ct)).Version;
        _time.Advance(TimeSpan.FromHours(1));
        var rejected = (await host.RetrainAsync(_store, Ct)).Version;

        await Assert.ThrowsAsync<TriageModelNotFoundException>(() => host.ActivateAsync("model-nope", "lead", Ct));
        var unavailable = await Assert.ThrowsAsync<TriageModelUnavailableException>(() => host.ActivateAsync(rejected!.Version, "lead", Ct));
        Assert.Contains("rejected", unavailable.Message, StringComparison.Ordinal);
        Assert.Equal(promoted!.Version, host.Version);
    }

    [Fact]
    public async Task An_AB_split_sends_a_stable_share_of_tickets_to_the_candidate()
    {
        var host = NewHost();
        await host.LoadAsync(Ct);
        var older = ((await host.RetrainAsync(_store, Ct)).Version)!;
        // Back to the rules, so the next model is judged against them and promoted too: two kept versions.
        await host.ActivateAsync(TriageModelRegistry.RulesVersion, "lead", Ct);
        _time.Advance(TimeSpan.FromHours(1));
        var newer = ((await host.RetrainAsync(_store, Ct)).Version)!;
        Assert.Equal(TriageModelDecision.Promoted, newer.Decision);

        await host.SplitAsync(older.Version, 0.3, "lead", Ct);

        var ids = Enumerable.Range(0, 4000).Select(_ => Guid.NewGuid()).ToList();
        var toCandidate = ids.Count(id => host.For(id).Version == older.Version);
        Assert.InRange(toCandidate / (double)ids.Count, 0.27, 0.33);
        Assert.All(ids.Take(200), id => Assert.Equal(host.For(id).Version, host.For(id).Version));
        Assert.All(ids, id => Assert.Contains(host.For(id).Version, new[] { older.Version, newer.Version }));

        await host.SplitAsync(null, 0, "lead", Ct);
        Assert.All(ids, id => Assert.Equal(newer.Version, host.For(id).Version));
    }

    [Fact]
    public async Task Only_the_newest_models_are_kept_but_never_the_one_in_use()
    {
        var host = NewHost();
        await host.LoadAsync(Ct);
        var first = ((await host.RetrainAsync(_store, Ct)).Version)!;
        var promoted = new List<string> { first.Version };
        for (var i = 0; i < TriageModelRegistry.KeptModels; i++)
        {
            // Rules in between so that every retrain is promoted; the first model stays the A/B candidate.
            await host.ActivateAsync(TriageModelRegistry.RulesVersion, "lead", Ct);
            if (i == 0)
            {
                await host.SplitAsync(first.Version, 0.1, "lead", Ct);
            }
            _time.Advance(TimeSpan.FromHours(1));
            promoted.Add(((await host.RetrainAsync(_store, Ct)).Version)!.Version);
        }

        var versions = (await new TriageModelRegistry(_documents).ListAsync(Ct)).ToDictionary(v => v.Version);
        Assert.Equal(TriageModelRegistry.KeptModels + 1, promoted.Count);
        Assert.True(versions[first.Version].HasModel, "the A/B candidate must stay loadable");
        Assert.Equal(TriageModelRegistry.KeptModels + 1, promoted.Count(v => versions[v].HasModel));

        await host.SplitAsync(null, 0, "lead", Ct);
        _time.Advance(TimeSpan.FromHours(1));
        await host.ActivateAsync(TriageModelRegistry.RulesVersion, "lead", Ct);
        await host.RetrainAsync(_store, Ct);
        versions = (await new TriageModelRegistry(_documents).ListAsync(Ct)).ToDictionary(v => v.Version);
        Assert.False(versions[first.Version].HasModel);
        Assert.Equal(TriageModelRegistry.KeptModels, versions.Values.Count(v => v.HasModel));
    }

    [Fact]
    public void The_split_bucket_is_stable_and_uniform()
    {
        var id = Guid.Parse("0192f0c3-a1b2-7c3d-8e4f-5a6b7c8d9e0f");
        Assert.Equal(TriageModelHost.SplitBucket(id), TriageModelHost.SplitBucket(id));
        var buckets = Enumerable.Range(0, 10_000).Select(_ => TriageModelHost.SplitBucket(Guid.NewGuid())).ToList();
        Assert.All(buckets, b => Assert.InRange(b, 0, 1 - double.Epsilon));
        Assert.InRange(buckets.Count(b => b < 0.5) / 10_000.0, 0.47, 0.53);
    }

    [Fact]
    public async Task Models_trained_with_the_sentence_encoder_read_it_and_need_it_to_load()
    {
        using var miniLm = new MiniLmTextEncoder();
        var encoder = new CachedTextEncoder(miniLm);
        var trainer = NewHost(encoder);
        await trainer.LoadAsync(Ct);

        var promoted = (await trainer.RetrainAsync(_store, Ct)).Version;

        Assert.Equal(TriageModelDecision.Promoted, promoted?.Decision);
        Assert.Equal(MiniLmTextEncoder.ModelName, promoted?.Encoder);
        Assert.Equal(MiniLmTextEncoder.ModelName, trainer.Current.CategoryModel?.EncoderName);
        Assert.Equal("billing", trainer.Current.Triage("Refund for the invoice I was charged twice", null).Category);

        var replica = NewHost(encoder);
        Assert.True(await replica.LoadAsync(Ct));
        Assert.Equal(promoted!.Version, replica.Version);
        Assert.Equal(MiniLmTextEncoder.ModelName, replica.Current.PriorityModel?.EncoderName);

        // A replica configured without the encoder cannot read those models: the keyword rules answer until it retrains.
        var withoutEncoder = NewHost();
        Assert.False(await withoutEncoder.LoadAsync(Ct));
        Assert.Equal(TriageModelRegistry.RulesVersion, withoutEncoder.Version);
    }

    private TriageModelHost NewHost(ITextEncoder? encoder = null) => new(
        new TriageModelRegistry(_documents),
        _locks,
        new FixedOptions<TicketTaxonomy>(new TicketTaxonomy()),
        new FixedOptions<AgentsOptions>(new AgentsOptions()),
        _time,
        NullLogger<TriageModelHost>.Instance,
        encoder);

    private async Task SeedResolvedAsync(int count, int seed)
    {
        foreach (var ticket in TriageHistory.Resolved(count, seed, _time.GetUtcNow().AddDays(-60)))
        {
            await _store.CreateAsync(ticket, TicketChanges.None, Ct);
        }
    }

    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}

/// <summary>
/// Resolved tickets whose words give away their category and whose priority follows from "outage"/"asap" words,
/// with a little noise so that the task is learnable but not trivial.
/// </summary>
internal static class TriageHistory
{
    private static readonly (string Category, string[] Words)[] Vocabulary =
    [
        ("billing", ["invoice", "charged", "refund", "payment", "vat", "receipt", "subscription", "card"]),
        ("account", ["password", "login", "locked", "sso", "username", "2fa", "profile", "signin"]),
        ("performance", ["slow", "latency", "timeout", "seconds", "cpu", "memory", "lag", "loading"]),
        ("bug", ["crash", "exception", "null", "broken", "stacktrace", "error", "regression", "button"]),
    ];

    public static IEnumerable<Ticket> Resolved(int count, int seed, DateTimeOffset start)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var (category, words) = Vocabulary[i % Vocabulary.Length];
            var urgent = random.NextDouble() < 0.4;
            var text = string.Join(' ', Enumerable.Range(0, 6).Select(_ => words[random.Next(words.Length)]))
                + (random.NextDouble() < 0.2 ? " " + Vocabulary[random.Next(Vocabulary.Length)].Words[0] : "")
                + (urgent ? " outage asap everyone blocked" : " when you have time");
            var created = start.AddHours(i * 6);
            yield return new Ticket
            {
                Source = TicketSources.Api,
                SourceKey = $"seed:{seed}:{i}",
                Title = $"Ticket {i}: {text}",
                Description = text,
                Category = category,
                Priority = urgent ? TicketPriority.High : TicketPriority.Low,
                Status = TicketStatus.Resolved,
                CreatedAt = created,
                UpdatedAt = created.AddHours(2),
                ResolvedAt = created.AddHours(2),
            };
        }
    }
}
