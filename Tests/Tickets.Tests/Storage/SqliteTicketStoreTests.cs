using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AspireTickets.Tests.Storage;

/// <summary>A temporary folder for one test class; each test gets its own store (sub-folder) inside it.</summary>
public sealed class SqliteDataFolder : IDisposable
{
    private int _next;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "aspiretickets-sqlite-" + Guid.NewGuid().ToString("N"));

    public string NewDirectory() => Path.Combine(Root, Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        // Pooled connections keep the files open; release them so the folder can be deleted.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

public sealed class SqliteTicketStoreTests(SqliteDataFolder folder) : TicketStoreConformance, IClassFixture<SqliteDataFolder>, IDisposable
{
    private readonly List<SqliteTicketStore> _stores = [];

    protected override async Task<ITicketStore> CreateStoreAsync() => await NewStoreAsync(folder.NewDirectory());

    [Fact]
    public async Task The_file_is_in_the_data_directory_in_WAL_mode_and_survives_a_new_store_instance()
    {
        var directory = folder.NewDirectory();
        var first = await NewStoreAsync(directory);
        var ticket = NewTicket("persisted");
        await first.CreateAsync(ticket, Changes(ticket), TestContext.Current.CancellationToken);

        var second = await NewStoreAsync(directory);

        Assert.Equal(Path.Combine(directory, "tickets.db"), second.DatabasePath);
        Assert.True(File.Exists(second.DatabasePath));
        Assert.Equal(ticket.Title, (await second.GetAsync(ticket.Id, TestContext.Current.CancellationToken))?.Title);
        await using var connection = new SqliteConnection($"Data Source={second.DatabasePath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_write_that_fails_part_way_leaves_no_trace()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await NewStoreAsync(folder.NewDirectory());
        var ticket = NewTicket("atomic");
        var created = Changes(ticket);
        await store.CreateAsync(ticket, created, ct);

        // The second event reuses a stored event id: the outbox refuses it after the ticket row was already updated.
        var edit = new TicketEditor(ticket, "agent", T0.AddHours(1)).SetTitle("Half written");
        var failing = new TicketChanges(edit.Audit, [TicketEvent.Create(TicketEventTypes.Updated, ticket.Id, T0.AddHours(1)), created.Events[0]]);
        await Assert.ThrowsAsync<SqliteException>(() => store.UpdateAsync(ticket, 1, failing, ct));

        Assert.Equal(1, ticket.Version);
        var stored = (await store.GetAsync(ticket.Id, ct))!;
        Assert.Equal(("Ticket atomic", 1L), (stored.Title, stored.Version));
        Assert.Equal(["created"], (await store.GetAuditTrailAsync(ticket.Id, ct)).Select(a => a.Field));
        Assert.Single(await store.GetUnpublishedEventsAsync(10, ct));
        Assert.Empty((await store.QueryAsync(new TicketQuery { Text = "half" }, ct)).Items);
    }

    [Fact]
    public async Task A_version_1_database_is_upgraded_in_place()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = folder.NewDirectory();
        var current = await NewStoreAsync(directory);
        var ticket = NewTicket("old", title: "Printer toner empty");
        ticket.Comments.Add(new TicketComment { Author = "carol", Text = "Firmware update pending" });
        await current.CreateAsync(ticket, Changes(ticket), ct);
        // Turn the file back into the first release's shape: three-column search table, old index definitions.
        await ExecuteAsync(current.DatabasePath, """
            DROP TABLE tickets_fts;
            CREATE VIRTUAL TABLE tickets_fts USING fts5 (title, description, comments, tokenize = 'unicode61 remove_diacritics 2');
            INSERT INTO tickets_fts (rowid, title, description, comments) SELECT seq, 'Printer toner empty', '', 'Firmware update pending' FROM tickets;
            DROP INDEX ix_tickets_status;
            CREATE INDEX ix_tickets_status ON tickets (is_archived, status, id);
            CREATE INDEX ix_tickets_status_priority_created ON tickets (is_archived, status, priority, created_at, id);
            PRAGMA user_version = 1;
            """, ct);

        var upgraded = await NewStoreAsync(directory);

        await upgraded.PingAsync(ct);
        Assert.Equal(ticket.Id, Assert.Single((await upgraded.QueryAsync(new TicketQuery { Text = "firmware toner" }, ct)).Items).Id);
        Assert.Equal("is_archived,status,created_at,id", await ScalarAsync(upgraded.DatabasePath, "SELECT group_concat(name) FROM pragma_index_info('ix_tickets_status');", ct));
        Assert.Equal(0L, await ScalarAsync(upgraded.DatabasePath, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'ix_tickets_status_priority_created';", ct));
        var edit = new TicketEditor(ticket, "alice", T0.AddHours(1)).SetTitle("Scanner jam");
        await upgraded.UpdateAsync(ticket, 1, Changes(edit), ct);
        Assert.Empty((await upgraded.QueryAsync(new TicketQuery { Text = "toner" }, ct)).Items);
        Assert.Single((await upgraded.QueryAsync(new TicketQuery { Text = "scanner firmware" }, ct)).Items);
    }

    [Fact]
    public async Task A_database_of_a_newer_version_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = folder.NewDirectory();
        var current = await NewStoreAsync(directory);
        await ExecuteAsync(current.DatabasePath, "PRAGMA user_version = 99;", ct);

        var newer = new SqliteTicketStore(directory);
        _stores.Add(newer);
        await Assert.ThrowsAsync<InvalidOperationException>(() => newer.EnsureCreatedAsync(ct));
    }

    private static async Task ExecuteAsync(string databasePath, string sql, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(string databasePath, string sql, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    [Fact]
    public async Task Concurrent_creates_share_group_commits_and_one_bad_ticket_fails_only_itself()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await NewStoreAsync(folder.NewDirectory());
        var existing = NewTicket("existing");
        await store.CreateAsync(existing, Changes(existing), ct);

        // 200 creates at once: 190 new, 8 re-deliveries of 4 source keys, and 2 with an id that is already taken
        // (a storage error, not a re-delivery), so groups are mixed.
        var tickets = Enumerable.Range(0, 190).Select(i => NewTicket($"group-{i}")).ToList();
        var redeliveries = Enumerable.Range(0, 8).Select(i => NewTicket($"group-{i % 4}", title: "again")).ToList();
        var broken = Enumerable.Range(0, 2).Select(i => { var t = NewTicket($"broken-{i}"); t.Id = existing.Id; return t; }).ToList();
        var all = tickets.Concat(redeliveries).Concat(broken).OrderBy(_ => Random.Shared.Next()).ToList();

        var outcomes = await Task.WhenAll(all.Select(async t =>
        {
            await Task.Yield();
            try
            {
                return (Ticket: t, Result: (CreateTicketResult?)await store.CreateAsync(t, Changes(t), ct), Error: (Exception?)null);
            }
            catch (SqliteException e)
            {
                return (Ticket: t, Result: (CreateTicketResult?)null, Error: (Exception?)e);
            }
        }));

        Assert.All(outcomes.Where(o => broken.Contains(o.Ticket)), o => Assert.NotNull(o.Error));
        Assert.All(outcomes.Where(o => !broken.Contains(o.Ticket)), o => Assert.Null(o.Error));
        var bySourceKey = outcomes.Where(o => o.Result is not null).GroupBy(o => o.Ticket.SourceKey).ToList();
        Assert.Equal(190, bySourceKey.Count);
        Assert.All(bySourceKey, g => Assert.Single(g.Select(o => o.Result!.Ticket.Id).Distinct()));
        Assert.All(bySourceKey, g => Assert.Single(g, o => o.Result!.Created));
        Assert.Equal(191, (await store.QueryAsync(new TicketQuery { PageSize = 1 }, ct)).TotalCount);
        var events = await store.GetUnpublishedEventsAsync(1000, ct);
        Assert.Equal(191, events.Count(e => e.Type == TicketEventTypes.Created));
        Assert.Equal(191, events.Select(e => e.TicketId).Distinct().Count());
    }

    [Fact]
    public async Task A_create_cancelled_while_it_waits_for_the_writer_is_not_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await NewStoreAsync(folder.NewDirectory());
        var first = NewTicket("first");
        await store.CreateAsync(first, Changes(first), ct);

        // Hold the writer with a long bulk create so that the next create has to wait for it.
        var bulk = Enumerable.Range(0, 3000).Select(i => NewTicket($"bulk-{i}")).Select(t => (t, Changes(t))).ToList();
        var holding = store.CreateManyAsync(bulk, ct);
        using var cancel = new CancellationTokenSource();
        var waiting = NewTicket("cancelled");
        var waitingCreate = store.CreateAsync(waiting, Changes(waiting), cancel.Token);
        cancel.Cancel();

        await holding;
        var outcome = await Record.ExceptionAsync(() => waitingCreate);
        var stored = await store.FindBySourceKeyAsync(waiting.SourceKey!, ct);
        // Either it was cancelled before a group took it (and is not stored), or a group already held it (and it is).
        Assert.True(outcome is OperationCanceledException ? stored is null : stored is not null, $"outcome {outcome?.GetType().Name}, stored {stored is not null}");
    }

    [Fact]
    public async Task Creating_the_schema_twice_is_harmless()
    {
        var store = await NewStoreAsync(folder.NewDirectory());
        await store.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        var again = await NewStoreAsync(Path.GetDirectoryName(store.DatabasePath)!);
        await again.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        await again.PingAsync(TestContext.Current.CancellationToken);
    }

    public static TheoryData<string, TicketQuery, string> IndexedQueries() => new()
    {
        { "2 filters, newest first", new TicketQuery { Statuses = [TicketStatus.New], Priorities = [TicketPriority.High] }, "ix_tickets_status_priority" },
        { "everything, newest first", new TicketQuery(), "ix_tickets_created" },
        { "everything, oldest first", new TicketQuery { Descending = false }, "ix_tickets_created" },
        { "recently updated", new TicketQuery { SortBy = TicketSortField.Updated }, "ix_tickets_updated" },
        { "most urgent", new TicketQuery { SortBy = TicketSortField.Priority }, "ix_tickets_priority_id" },
        { "by status", new TicketQuery { SortBy = TicketSortField.Status }, "ix_tickets_status_id" },
        { "one status", new TicketQuery { Statuses = [TicketStatus.Waiting] }, "ix_tickets_status" },
        { "one category", new TicketQuery { Category = "bug" }, "ix_tickets_category" },
        { "my tickets", new TicketQuery { Assignee = "alice" }, "ix_tickets_assignee" },
    };

    [Theory]
    [MemberData(nameof(IndexedQueries))]
    public async Task Common_list_queries_read_an_index_in_order_without_sorting(string because, TicketQuery query, string index)
    {
        var store = await NewStoreAsync(folder.NewDirectory());
        var sql = SqliteTicketQueryBuilder.Build(query);
        var pageStatement = sql.Sql.Split(";\n")[1];

        await using var connection = new SqliteConnection($"Data Source={store.DatabasePath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + pageStatement;
        foreach (var (name, value) in sql.Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.True(plan.Any(p => p.Contains($"INDEX {index} ", StringComparison.Ordinal)), $"{because}: {string.Join(" | ", plan)}");
        Assert.False(plan.Any(p => p.Contains("TEMP B-TREE", StringComparison.Ordinal)), $"{because}: {string.Join(" | ", plan)}");
    }
    [Theory]
    [InlineData("printer", "\"printer\"")]
    [InlineData("Printer TONER", "\"printer\" AND \"toner\"")]
    [InlineData("\"x* NEAR(y) -z", "\"x\" AND \"near\" AND \"y\" AND \"z\"")]
    [InlineData("*** \" () -", null)]
    [InlineData("", null)]
    [InlineData("Größe café", "\"größe\" AND \"café\"")]
    public void Fts_match_expressions_quote_every_word(string text, string? expected) =>
        Assert.Equal(expected, SqliteFts.MatchExpression(text));

    private async Task<SqliteTicketStore> NewStoreAsync(string directory)
    {
        var store = new SqliteTicketStore(directory);
        _stores.Add(store);
        await store.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }
    }
}
