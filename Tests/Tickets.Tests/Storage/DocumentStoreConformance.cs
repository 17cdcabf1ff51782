using AspireTickets.Domain.Storage;

namespace AspireTickets.Tests.Storage;

/// <summary>What every <see cref="IDocumentStore"/> adapter must do; run against each adapter.</summary>
public abstract class DocumentStoreConformance
{
    public sealed record Note(string Text, int Count);

    protected abstract IDocumentStore Store { get; }

    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IDocumentCollection<Note> Notes() => Store.Collection<Note>("notes_" + Guid.NewGuid().ToString("n")[..8]);

    [Fact]
    public async Task Upsert_then_get_round_trips_and_replaces()
    {
        var notes = Notes();
        Assert.Null(await notes.GetAsync("a", Ct));
        await notes.UpsertAsync(new("a", new Note("first é ✓", 1), T0), Ct);
        Assert.Equal(new Note("first é ✓", 1), await notes.GetAsync("a", Ct));
        await notes.UpsertAsync(new("a", new Note("second", 2), T0), Ct);
        Assert.Equal(new Note("second", 2), await notes.GetAsync("a", Ct));
        Assert.Equal(1, await notes.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Try_insert_succeeds_once_even_when_concurrent()
    {
        var notes = Notes();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => notes.TryInsertAsync(new("event-1", new Note($"n{i}", i), T0), Ct)));
        Assert.Single(results, r => r);
        Assert.Equal(1, await notes.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task List_filters_by_group_and_orders_by_time()
    {
        var notes = Notes();
        await notes.UpsertAsync(new("1", new Note("a1", 1), T0.AddMinutes(1), "ticket-a"), Ct);
        await notes.UpsertAsync(new("2", new Note("b1", 1), T0.AddMinutes(2), "ticket-b"), Ct);
        await notes.UpsertAsync(new("3", new Note("a2", 2), T0.AddMinutes(3), "ticket-a"), Ct);
        await notes.UpsertAsync(new("4", new Note("a0", 0), T0, "ticket-a"), Ct);

        Assert.Equal(["a2", "a1", "a0"], (await notes.ListAsync("ticket-a", cancellationToken: Ct)).Select(n => n.Text));
        Assert.Equal(["a0", "a1"], (await notes.ListAsync("ticket-a", limit: 2, newestFirst: false, cancellationToken: Ct)).Select(n => n.Text));
        Assert.Equal(4, (await notes.ListAsync(cancellationToken: Ct)).Count);
        Assert.Equal(3, await notes.CountAsync("ticket-a", Ct));
    }

    [Fact]
    public async Task Delete_removes_only_that_document()
    {
        var notes = Notes();
        await notes.UpsertAsync(new("x", new Note("x", 1), T0), Ct);
        await notes.UpsertAsync(new("y", new Note("y", 1), T0), Ct);
        Assert.True(await notes.DeleteAsync("x", Ct));
        Assert.False(await notes.DeleteAsync("x", Ct));
        Assert.Null(await notes.GetAsync("x", Ct));
        Assert.NotNull(await notes.GetAsync("y", Ct));
    }

    [Fact]
    public async Task The_first_use_of_a_collection_is_safe_when_concurrent()
    {
        // Readers and writers racing on a collection nobody has used yet (e.g. the first two dead letters).
        var collections = Enumerable.Range(0, 100).Select(_ => Notes()).ToList();
        var racers = collections.SelectMany(notes => Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            if (i % 2 == 0)
            {
                await notes.UpsertAsync(new($"n{i}", new Note("x", i), T0), Ct);
            }
            else
            {
                await notes.CountAsync(cancellationToken: Ct);
            }
        }, Ct))).ToList();
        await Task.WhenAll(racers);
        foreach (var notes in collections)
        {
            Assert.Equal(2, await notes.CountAsync(cancellationToken: Ct));
        }
    }

    [Fact]
    public void Collection_names_are_checked() =>
        Assert.Throws<ArgumentException>(() => Store.Collection<Note>("notes; DROP TABLE x"));
}
