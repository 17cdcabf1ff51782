using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Tests.Storage;

/// <summary>
/// The contract of <see cref="ITicketStore"/>; every adapter derives a test class from this one and must pass it.
/// Each test gets an empty store. Expectations over the known data set are computed by hand (see <see cref="Seed"/>).
/// </summary>
public abstract class TicketStoreConformance
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An empty store for one test; adapters whose server is absent call <c>Assert.Skip</c> here.</summary>
    protected abstract Task<ITicketStore> CreateStoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- create / get -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Create_then_get_round_trips_every_field()
    {
        var store = await CreateStoreAsync();
        var ticket = TicketSamples.Full();
        var expectedJson = Json(ticket, version: 1);

        var result = await store.CreateAsync(ticket, Changes(ticket), Ct);

        Assert.True(result.Created);
        Assert.Equal(1, ticket.Version);
        Assert.Equal(1, result.Ticket.Version);
        var loaded = await store.GetAsync(ticket.Id, Ct);
        Assert.NotNull(loaded);
        Assert.Equal(expectedJson, Json(loaded, loaded.Version));
        Assert.Equal(1, loaded.Version);

        var bySourceKey = await store.FindBySourceKeyAsync(ticket.SourceKey, Ct);
        Assert.Equal(ticket.Id, bySourceKey?.Id);
    }

    [Fact]
    public async Task Unknown_ids_and_source_keys_are_not_found()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewTicket("known"), TicketChanges.None, Ct);

        Assert.Null(await store.GetAsync(Guid.CreateVersion7(), Ct));
        Assert.Null(await store.FindBySourceKeyAsync("test:unknown", Ct));
        Assert.Null(await store.FindBySourceKeyAsync("", Ct));
    }

    // ---- idempotency on the source key --------------------------------------------------------------------------

    [Fact]
    public async Task Creating_an_existing_source_key_returns_the_stored_ticket_and_writes_nothing()
    {
        var store = await CreateStoreAsync();
        var first = NewTicket("dup", title: "First delivery");
        await store.CreateAsync(first, Changes(first), Ct);

        var again = NewTicket("dup", title: "Second delivery");
        var result = await store.CreateAsync(again, Changes(again), Ct);

        Assert.False(result.Created);
        Assert.Equal(first.Id, result.Ticket.Id);
        Assert.Equal("First delivery", result.Ticket.Title);
        Assert.Equal(1, result.Ticket.Version);
        Assert.Null(await store.GetAsync(again.Id, Ct));
        Assert.Empty(await store.GetAuditTrailAsync(again.Id, Ct));
        var events = await store.GetUnpublishedEventsAsync(100, Ct);
        Assert.Equal([first.Id], events.Select(e => e.TicketId));
    }

    [Fact]
    public async Task Concurrent_creates_of_one_source_key_store_exactly_one_ticket()
    {
        var store = await CreateStoreAsync();
        var deliveries = Enumerable.Range(0, 8).Select(i => NewTicket("race", title: $"delivery {i}")).ToList();

        var results = await Task.WhenAll(deliveries.Select(t => Task.Run(() => store.CreateAsync(t, Changes(t), Ct), Ct)));

        var created = Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(created.Ticket.Id, r.Ticket.Id));
        var page = await store.QueryAsync(new TicketQuery(), Ct);
        Assert.Equal(1, page.TotalCount);
        Assert.Single(await store.GetUnpublishedEventsAsync(100, Ct));
    }

    [Fact]
    public async Task Tickets_without_a_source_key_are_always_created()
    {
        var store = await CreateStoreAsync();
        var a = NewTicket("a");
        var b = NewTicket("b");
        a.SourceKey = "";
        b.SourceKey = "";

        Assert.True((await store.CreateAsync(a, TicketChanges.None, Ct)).Created);
        Assert.True((await store.CreateAsync(b, TicketChanges.None, Ct)).Created);

        Assert.NotNull(await store.GetAsync(a.Id, Ct));
        Assert.NotNull(await store.GetAsync(b.Id, Ct));
    }

    [Fact]
    public async Task CreateMany_stores_new_tickets_and_skips_existing_source_keys()
    {
        var store = await CreateStoreAsync();
        var existing = NewTicket("bulk-1", title: "already there");
        await store.CreateAsync(existing, Changes(existing), Ct);

        var items = Enumerable.Range(0, 2500)
            .Select(i => NewTicket($"bulk-{i}", title: $"bulk ticket {i}", created: T0.AddSeconds(i)))
            .Select(t => (t, Changes(t)))
            .ToList();
        // The same item twice in one call: only its first occurrence is stored.
        var repeated = NewTicket("bulk-7", title: "repeated in the batch");
        items.Add((repeated, Changes(repeated)));

        var results = await store.CreateManyAsync(items, Ct);

        Assert.Equal(items.Count, results.Count);
        Assert.False(results[1].Created);
        Assert.Equal(existing.Id, results[1].Ticket.Id);
        Assert.False(results[^1].Created);
        Assert.Equal(items[7].Item1.Id, results[^1].Ticket.Id);
        Assert.Equal(2499, results.Count(r => r.Created));
        Assert.Equal(2500, (await store.QueryAsync(new TicketQuery { PageSize = 1 }, Ct)).TotalCount);
        Assert.Equal("bulk ticket 2499", (await store.FindBySourceKeyAsync("test:bulk-2499", Ct))?.Title);
        Assert.Equal(2500, (await store.GetUnpublishedEventsAsync(5000, Ct)).Count);
        Assert.Single(await store.GetAuditTrailAsync(items[2000].Item1.Id, Ct));
    }

    // ---- optimistic concurrency ---------------------------------------------------------------------------------

    [Fact]
    public async Task Update_writes_the_ticket_and_increments_its_version()
    {
        var store = await CreateStoreAsync();
        var ticket = NewTicket("upd");
        await store.CreateAsync(ticket, Changes(ticket), Ct);

        var editor = new TicketEditor(ticket, "agent", T0.AddHours(1)).SetTitle("Renamed").SetPriority(TicketPriority.Critical);
        await store.UpdateAsync(ticket, 1, Changes(editor), Ct);

        Assert.Equal(2, ticket.Version);
        var loaded = await store.GetAsync(ticket.Id, Ct);
        Assert.Equal("Renamed", loaded?.Title);
        Assert.Equal(TicketPriority.Critical, loaded?.Priority);
        Assert.Equal(2, loaded?.Version);
        Assert.Equal(T0.AddHours(1), loaded?.UpdatedAt);
    }

    [Fact]
    public async Task Two_updates_from_the_same_version_conflict_exactly_once()
    {
        var store = await CreateStoreAsync();
        var ticket = NewTicket("race-upd");
        await store.CreateAsync(ticket, Changes(ticket), Ct);
        var copyA = (await store.GetAsync(ticket.Id, Ct))!;
        var copyB = (await store.GetAsync(ticket.Id, Ct))!;
        var editA = new TicketEditor(copyA, "a", T0.AddHours(1)).SetTitle("Title by A");
        var editB = new TicketEditor(copyB, "b", T0.AddHours(1)).SetTitle("Title by B");

        var outcomes = await Task.WhenAll(
            Attempt(() => store.UpdateAsync(copyA, 1, Changes(editA), Ct)),
            Attempt(() => store.UpdateAsync(copyB, 1, Changes(editB), Ct)));

        Assert.Single(outcomes, o => o is null);
        var conflict = Assert.IsType<ConcurrencyConflictException>(Assert.Single(outcomes, o => o is not null));
        Assert.Equal(ticket.Id, conflict.TicketId);
        Assert.Equal(1, conflict.ExpectedVersion);

        var winner = outcomes[0] is null ? copyA : copyB;
        var loser = outcomes[0] is null ? copyB : copyA;
        Assert.Equal(2, winner.Version);
        Assert.Equal(1, loser.Version);
        var stored = (await store.GetAsync(ticket.Id, Ct))!;
        Assert.Equal(winner.Title, stored.Title);
        Assert.Equal(2, stored.Version);

        // The rejected write left no trace: its audit entry and its event were not stored.
        var audit = await store.GetAuditTrailAsync(ticket.Id, Ct);
        Assert.Equal(["created", "title"], audit.Select(a => a.Field));
        Assert.Equal(winner.Title, audit[1].NewValue);
        var events = await store.GetUnpublishedEventsAsync(10, Ct);
        Assert.Equal([TicketEventTypes.Created, TicketEventTypes.Updated], events.Select(e => e.Type));
    }

    [Fact]
    public async Task Update_with_a_stale_version_conflicts_and_an_unknown_ticket_is_not_found()
    {
        var store = await CreateStoreAsync();
        var ticket = NewTicket("stale");
        await store.CreateAsync(ticket, Changes(ticket), Ct);
        await store.UpdateAsync(ticket, 1, TicketChanges.None, Ct);

        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.UpdateAsync(ticket, 1, TicketChanges.None, Ct));
        Assert.Equal(1, stale.ExpectedVersion);
        Assert.Equal(2, ticket.Version);

        var ghost = NewTicket("ghost");
        var missing = await Assert.ThrowsAsync<TicketNotFoundException>(() => store.UpdateAsync(ghost, 0, TicketChanges.None, Ct));
        Assert.Equal(ghost.Id, missing.TicketId);
        Assert.Null(await store.GetAsync(ghost.Id, Ct));
    }

    // ---- audit and outbox ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Audit_entries_are_kept_in_the_order_they_were_written()
    {
        var store = await CreateStoreAsync();
        var ticket = NewTicket("audit");
        await store.CreateAsync(ticket, Changes(ticket), Ct);

        var first = new TicketEditor(ticket, "triage-agent", T0.AddHours(1), "auto-triage")
            .SetPriority(TicketPriority.High).SetAssignee("alice").SetStatus(TicketStatus.Triaged);
        await store.UpdateAsync(ticket, ticket.Version, Changes(first), Ct);
        var second = new TicketEditor(ticket, "alice", T0.AddHours(2))
            .SetStatus(TicketStatus.InProgress).SetLabels(["vpn", "urgent"]);
        await store.UpdateAsync(ticket, ticket.Version, Changes(second), Ct);

        var trail = await store.GetAuditTrailAsync(ticket.Id, Ct);

        Assert.Equal(["created", "priority", "assignee", "status", "status", "labels"], trail.Select(a => a.Field));
        Assert.Equal(first.Audit.Concat(second.Audit).Select(a => a.Id), trail.Skip(1).Select(a => a.Id));
        var priority = trail[1];
        Assert.Equal(("triage-agent", "Medium", "High", "auto-triage"), (priority.Actor, priority.OldValue, priority.NewValue, priority.Reason));
        Assert.Equal(T0.AddHours(1), priority.At);
        Assert.Equal(ticket.Id, priority.TicketId);
        Assert.Null(trail[4].Reason);
        Assert.Empty(await store.GetAuditTrailAsync(Guid.CreateVersion7(), Ct));
    }

    [Fact]
    public async Task Outbox_events_are_stored_with_the_ticket_and_marked_published()
    {
        var store = await CreateStoreAsync();
        var a = NewTicket("outbox-a", created: T0.AddMinutes(1));
        var b = NewTicket("outbox-b", created: T0.AddMinutes(2));
        await store.CreateAsync(a, Changes(a), Ct);
        await store.CreateAsync(b, Changes(b), Ct);
        var edit = new TicketEditor(a, "agent", T0.AddMinutes(3)).SetTitle("changed");
        var updated = TicketEvent.Create(TicketEventTypes.Updated, a.Id, T0.AddMinutes(3), """{"fields":["title"]}""") with
        {
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            TraceState = "vendor=1",
        };
        await store.UpdateAsync(a, a.Version, new TicketChanges(edit.Audit, [updated]), Ct);

        var pending = await store.GetUnpublishedEventsAsync(10, Ct);

        Assert.Equal([(a.Id, TicketEventTypes.Created), (b.Id, TicketEventTypes.Created), (a.Id, TicketEventTypes.Updated)],
            pending.Select(e => (e.TicketId, e.Type)));
        Assert.Equal(updated, pending[2]);
        Assert.Equal(2, (await store.GetUnpublishedEventsAsync(2, Ct)).Count);

        await store.MarkEventsPublishedAsync([pending[0].Id, pending[2].Id], Ct);
        Assert.Equal([pending[1].Id], (await store.GetUnpublishedEventsAsync(10, Ct)).Select(e => e.Id));

        // Marking again, or marking unknown ids, is harmless.
        await store.MarkEventsPublishedAsync([pending[0].Id, Guid.CreateVersion7()], Ct);
        await store.MarkEventsPublishedAsync([], Ct);
        await store.MarkEventsPublishedAsync([pending[1].Id], Ct);
        Assert.Empty(await store.GetUnpublishedEventsAsync(10, Ct));
    }

    // ---- queries over the known data set ------------------------------------------------------------------------

    public static TheoryData<string, string[]> FilterCases() => new()
    {
        { "all", ["T07", "T06", "T05", "T04", "T03", "T02", "T09", "T01"] },
        { "status=New", ["T07", "T05", "T02", "T01"] },
        { "status=New&priority=High", ["T05", "T01"] },
        { "status=New,Waiting&priority=High", ["T05", "T09", "T01"] },
        { "category=network", ["T07", "T03", "T01"] },
        { "assignee=alice", ["T03", "T01"] },
        { "label=vpn", ["T03", "T01"] },
        { "label=VPN", ["T03", "T01"] },
        { "label=printer&status=Closed", ["T06"] },
        { "label=none", [] },
        { "from=2&to=5", ["T04", "T03", "T02"] },
        { "from=1&to=2", ["T09", "T01"] },
        { "archived=include&category=network", ["T08", "T07", "T03", "T01"] },
        { "archived=only", ["T08"] },
        { "category=Network", [] },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public async Task Filters_select_the_expected_tickets(string filter, string[] expected)
    {
        var store = await SeededStoreAsync();

        var page = await store.QueryAsync(ParseFilter(filter), Ct);

        Assert.Equal(expected, Names(page));
        Assert.Equal(expected.Length, page.TotalCount);
    }

    public static TheoryData<TicketSortField, bool, string[]> SortCases() => new()
    {
        { TicketSortField.Created, false, ["T01", "T09", "T02", "T03", "T04", "T05", "T06", "T07"] },
        { TicketSortField.Created, true, ["T07", "T06", "T05", "T04", "T03", "T02", "T09", "T01"] },
        { TicketSortField.Updated, true, ["T04", "T01", "T07", "T06", "T05", "T03", "T02", "T09"] },
        { TicketSortField.Updated, false, ["T09", "T02", "T03", "T05", "T06", "T07", "T01", "T04"] },
        { TicketSortField.Priority, true, ["T03", "T09", "T05", "T01", "T07", "T04", "T06", "T02"] },
        { TicketSortField.Priority, false, ["T02", "T06", "T04", "T07", "T01", "T05", "T09", "T03"] },
        { TicketSortField.Status, false, ["T01", "T02", "T05", "T07", "T03", "T09", "T04", "T06"] },
        { TicketSortField.Status, true, ["T06", "T04", "T09", "T03", "T07", "T05", "T02", "T01"] },
    };

    [Theory]
    [MemberData(nameof(SortCases))]
    public async Task Sorting_orders_by_the_field_then_by_id(TicketSortField sortBy, bool descending, string[] expected)
    {
        var store = await SeededStoreAsync();

        var page = await store.QueryAsync(new TicketQuery { SortBy = sortBy, Descending = descending }, Ct);

        Assert.Equal(expected, Names(page));
    }

    [Theory]
    [InlineData(1, 3, new[] { "T01", "T09", "T02" })]
    [InlineData(2, 3, new[] { "T03", "T04", "T05" })]
    [InlineData(3, 3, new[] { "T06", "T07" })]
    [InlineData(4, 3, new string[0])]
    [InlineData(1, 200, new[] { "T01", "T09", "T02", "T03", "T04", "T05", "T06", "T07" })]
    public async Task Paging_returns_the_requested_slice_and_the_total(int pageNumber, int pageSize, string[] expected)
    {
        var store = await SeededStoreAsync();

        var page = await store.QueryAsync(new TicketQuery { SortBy = TicketSortField.Created, Descending = false, Page = pageNumber, PageSize = pageSize }, Ct);

        Assert.Equal(expected, Names(page));
        Assert.Equal(8, page.TotalCount);
        Assert.Equal(pageNumber, page.Page);
        Assert.Equal(pageSize, page.PageSize);
    }

    [Theory]
    [InlineData(0, 50)]
    [InlineData(1, 0)]
    [InlineData(1, TicketQuery.MaxPageSize + 1)]
    public async Task Invalid_paging_is_refused(int pageNumber, int pageSize)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.QueryAsync(new TicketQuery { Page = pageNumber, PageSize = pageSize }, Ct));
    }

    public static TheoryData<string, string[]> TextCases() => new()
    {
        { "printer", ["T06", "T02"] },
        { "PRINTER", ["T06", "T02"] },
        { "printer toner", ["T06"] },
        { "toner printer", ["T06"] },
        { "vpn", ["T03", "T01"] },
        { "vpn outage", ["T03"] },
        { "firmware", ["T07"] },
        { "nothing-matches-this", [] },
        // Search syntax in the input is taken literally, never as an operator and never as an error.
        { "\"printer", ["T06", "T02"] },
        { "printer*", ["T06", "T02"] },
        { "(tray", ["T02"] },
        { "tray)", ["T02"] },
        { "-printer", ["T06", "T02"] },
        { "printer -toner", ["T06"] },
        { "NEAR", ["T01"] },
        { "vpn NEAR hour", ["T01"] },
        { "NEAR(vpn hour)", ["T01"] },
        { "printer OR vpn", [] },
        { "title:printer", [] },
        { "^printer", ["T06", "T02"] },
        { "printer + toner", ["T06"] },
        { "{printer}:", ["T06", "T02"] },
        // No word at all: there is nothing to search for, so the text filter does not restrict.
        { "\"*()-", ["T07", "T06", "T05", "T04", "T03", "T02", "T09", "T01"] },
    };

    [Theory]
    [MemberData(nameof(TextCases))]
    public async Task Text_search_requires_every_word_and_is_safe_for_any_input(string text, string[] expected)
    {
        var store = await SeededStoreAsync();

        var page = await store.QueryAsync(new TicketQuery { Text = text }, Ct);

        Assert.Equal(expected, Names(page));
        Assert.Equal(expected.Length, page.TotalCount);
    }

    [Fact]
    public async Task Text_search_combines_with_filters_and_skips_archived_tickets()
    {
        var store = await SeededStoreAsync();

        Assert.Equal(["T06"], Names(await store.QueryAsync(new TicketQuery { Text = "printer", Statuses = [TicketStatus.Closed] }, Ct)));
        Assert.Equal(["T08", "T03", "T01"], Names(await store.QueryAsync(new TicketQuery { Text = "vpn", IncludeArchived = true }, Ct)));
    }

    [Fact]
    public async Task Updates_are_reflected_in_filters_labels_and_text_search()
    {
        var store = await SeededStoreAsync();
        var t02 = (await store.FindBySourceKeyAsync("test:T02", Ct))!;
        var edit = new TicketEditor(t02, "alice", T0.AddDays(1))
            .SetTitle("Scanner stops after warmup")
            .SetLabels(["scanner"])
            .SetStatus(TicketStatus.InProgress)
            .AddComment(new TicketComment { Author = "alice", Text = "Replaced the fuser unit" });
        await store.UpdateAsync(t02, t02.Version, Changes(edit), Ct);

        Assert.Equal(["T06"], Names(await store.QueryAsync(new TicketQuery { Text = "printer" }, Ct)));
        Assert.Equal(["T02"], Names(await store.QueryAsync(new TicketQuery { Text = "scanner warmup" }, Ct)));
        Assert.Equal(["T02"], Names(await store.QueryAsync(new TicketQuery { Text = "fuser" }, Ct)));
        Assert.Equal(["T06"], Names(await store.QueryAsync(new TicketQuery { Label = "printer" }, Ct)));
        Assert.Equal(["T02"], Names(await store.QueryAsync(new TicketQuery { Label = "scanner" }, Ct)));
        Assert.Equal(["T03", "T02"], Names(await store.QueryAsync(new TicketQuery { Statuses = [TicketStatus.InProgress] }, Ct)));
        Assert.Equal("T02", Names(await store.QueryAsync(new TicketQuery { SortBy = TicketSortField.Updated }, Ct))[0]);
    }

    [Fact]
    public async Task Archiving_hides_a_ticket_and_restoring_shows_it_again()
    {
        var store = await SeededStoreAsync();
        var t05 = (await store.FindBySourceKeyAsync("test:T05", Ct))!;

        await store.UpdateAsync(t05, t05.Version, Changes(new TicketEditor(t05, "bob", T0.AddDays(1)).Archive()), Ct);
        Assert.Equal(["T01"], Names(await store.QueryAsync(new TicketQuery { Statuses = [TicketStatus.New], Priorities = [TicketPriority.High] }, Ct)));
        Assert.Equal(["T08", "T05"], Names(await store.QueryAsync(new TicketQuery { ArchivedOnly = true }, Ct)));
        Assert.DoesNotContain((await store.GetFactsAsync(null, null, Ct)), f => f.Id == t05.Id);
        Assert.True((await store.GetAsync(t05.Id, Ct))!.IsArchived);

        await store.UpdateAsync(t05, t05.Version, Changes(new TicketEditor(t05, "bob", T0.AddDays(2)).Restore()), Ct);
        Assert.Equal(["T05", "T01"], Names(await store.QueryAsync(new TicketQuery { Statuses = [TicketStatus.New], Priorities = [TicketPriority.High] }, Ct)));
    }

    // ---- facts --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Facts_cover_non_archived_tickets_created_in_the_range()
    {
        var store = await SeededStoreAsync();

        var facts = await store.GetFactsAsync(T0.AddHours(2), T0.AddHours(5), Ct);
        var all = await store.GetFactsAsync(null, null, Ct);

        var byId = await NamesByIdAsync(store);
        Assert.Equal(["T02", "T03", "T04"], facts.Select(f => byId[f.Id]).Order());
        Assert.Equal(["T01", "T02", "T03", "T04", "T05", "T06", "T07", "T09"], all.Select(f => byId[f.Id]).Order());

        var t04 = Assert.Single(facts, f => byId[f.Id] == "T04");
        Assert.Equal(TicketStatus.Resolved, t04.Status);
        Assert.Equal(TicketPriority.Medium, t04.Priority);
        Assert.Equal("accounts", t04.Category);
        Assert.Equal(T0.AddHours(4), t04.CreatedAt);
        Assert.Equal(T0.AddHours(5), t04.FirstResponseAt);
        Assert.Equal(T0.AddHours(20), t04.ResolvedAt);
        Assert.Equal(T0.AddHours(8), t04.FirstResponseDueAt);
        Assert.Equal(T0.AddHours(28), t04.ResolutionDueAt);

        var t02 = Assert.Single(facts, f => byId[f.Id] == "T02");
        Assert.Null(t02.FirstResponseAt);
        Assert.Null(t02.ResolvedAt);
        Assert.Null(t02.FirstResponseDueAt);
    }

    // ---- the data set -------------------------------------------------------------------------------------------

    /// <summary>
    /// Nine tickets, T08 archived. Created at T0 + the hours shown; T01 and T09 share a creation time (the id
    /// breaks the tie: ids sort by their number).
    /// <code>
    ///       status      priority  category  assignee labels          created updated
    /// T01   New         High      network   alice    vpn               1      10
    /// T02   New         Low       hardware  bob      printer           2       3
    /// T03   InProgress  Critical  network   alice    outage, VPN       3       4
    /// T04   Resolved    Medium    accounts  -        -                 4      20
    /// T05   New         High      accounts  bob      sso               5       6
    /// T06   Closed      Low       hardware  carol    printer           6       7
    /// T07   New         Medium    network   -        -                 7       8
    /// T08   New         High      network   alice    vpn               8       9   archived
    /// T09   Waiting     High      hardware  carol    -                 1       2
    /// </code>
    /// </summary>
    protected static IReadOnlyList<Ticket> Seed()
    {
        Ticket T(int n, TicketStatus status, TicketPriority priority, string category, string? assignee, string[] labels,
            int createdHour, int updatedHour, string title, string description) => new()
            {
                Id = SeedId(n),
                Source = TicketSources.Import,
                SourceKey = $"test:T{n:D2}",
                Title = title,
                Description = description,
                Status = status,
                Priority = priority,
                Category = category,
                Assignee = assignee,
                Labels = [.. labels],
                CreatedAt = T0.AddHours(createdHour),
                UpdatedAt = T0.AddHours(updatedHour),
            };

        var tickets = new List<Ticket>
        {
            T(1, TicketStatus.New, TicketPriority.High, "network", "alice", ["vpn"], 1, 10,
                "VPN drops every hour", "The VPN client disconnects near the top of every hour."),
            T(2, TicketStatus.New, TicketPriority.Low, "hardware", "bob", ["printer"], 2, 3,
                "Printer jams on tray 2", "Paper jam (tray 2) after 10 pages."),
            T(3, TicketStatus.InProgress, TicketPriority.Critical, "network", "alice", ["outage", "VPN"], 3, 4,
                "Office network outage", "Nobody can reach the file server over VPN."),
            T(4, TicketStatus.Resolved, TicketPriority.Medium, "accounts", null, [], 4, 20,
                "Password reset link expired", "The reset link in the mail says expired."),
            T(5, TicketStatus.New, TicketPriority.High, "accounts", "bob", ["sso"], 5, 6,
                "SSO login loops", "Login with SSO redirects forever."),
            T(6, TicketStatus.Closed, TicketPriority.Low, "hardware", "carol", ["printer"], 6, 7,
                "Printer toner empty", "Toner warning on the third floor printer."),
            T(7, TicketStatus.New, TicketPriority.Medium, "network", null, [], 7, 8,
                "Wireless slow in meeting room", "Speeds under one megabit."),
            T(8, TicketStatus.New, TicketPriority.High, "network", "alice", ["vpn"], 8, 9,
                "Old VPN ticket", "The VPN certificate expired last year."),
            T(9, TicketStatus.Waiting, TicketPriority.High, "hardware", "carol", [], 1, 2,
                "Laptop battery swelling", "The battery bulges; waiting for a replacement."),
        };

        tickets[3].FirstResponseAt = T0.AddHours(5);
        tickets[3].ResolvedAt = T0.AddHours(20);
        tickets[3].Sla.FirstResponseDueAt = T0.AddHours(8);
        tickets[3].Sla.ResolutionDueAt = T0.AddHours(28);
        tickets[5].ClosedAt = T0.AddHours(7);
        tickets[6].Comments.Add(new TicketComment { Author = "carol", Text = "Firmware update pending on the access point.", CreatedAt = T0.AddHours(8) });
        tickets[7].ArchivedAt = T0.AddHours(9);
        return tickets;
    }

    protected static Guid SeedId(int n) => Guid.Parse($"01900000-0000-7000-8000-{n:D12}");

    private async Task<ITicketStore> SeededStoreAsync()
    {
        var store = await CreateStoreAsync();
        foreach (var ticket in Seed())
        {
            var result = await store.CreateAsync(ticket, Changes(ticket), Ct);
            Assert.True(result.Created);
        }
        return store;
    }

    private static TicketQuery ParseFilter(string filter)
    {
        var query = new TicketQuery();
        if (filter == "all")
        {
            return query;
        }
        foreach (var pair in filter.Split('&'))
        {
            var (key, value) = (pair.Split('=')[0], pair.Split('=')[1]);
            query = key switch
            {
                "status" => query with { Statuses = [.. value.Split(',').Select(Enum.Parse<TicketStatus>)] },
                "priority" => query with { Priorities = [.. value.Split(',').Select(Enum.Parse<TicketPriority>)] },
                "category" => query with { Category = value },
                "assignee" => query with { Assignee = value },
                "label" => query with { Label = value },
                "from" => query with { CreatedFrom = T0.AddHours(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) },
                "to" => query with { CreatedTo = T0.AddHours(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) },
                "archived" when value == "include" => query with { IncludeArchived = true },
                "archived" when value == "only" => query with { ArchivedOnly = true },
                _ => throw new ArgumentException($"Unknown filter {pair}", nameof(filter)),
            };
        }
        return query;
    }

    private static string[] Names(TicketPage page) => [.. page.Items.Select(t => t.SourceKey.Replace("test:", "", StringComparison.Ordinal))];

    private static async Task<Dictionary<Guid, string>> NamesByIdAsync(ITicketStore store)
    {
        var page = await store.QueryAsync(new TicketQuery { IncludeArchived = true, PageSize = TicketQuery.MaxPageSize }, Ct);
        return page.Items.ToDictionary(t => t.Id, t => t.SourceKey.Replace("test:", "", StringComparison.Ordinal));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    protected static Ticket NewTicket(string key, string? title = null, DateTimeOffset? created = null) => new()
    {
        Source = TicketSources.Api,
        SourceKey = $"test:{key}",
        Title = title ?? $"Ticket {key}",
        Description = $"Description of {key}",
        CreatedAt = created ?? T0,
        UpdatedAt = created ?? T0,
    };

    /// <summary>What a real create writes besides the ticket: one audit entry and the ticket.created event.</summary>
    protected static TicketChanges Changes(Ticket ticket) => new(
        [new AuditEntry { TicketId = ticket.Id, At = ticket.CreatedAt, Actor = "test", Field = "created", NewValue = ticket.Title }],
        [TicketEvent.Create(TicketEventTypes.Created, ticket.Id, ticket.CreatedAt)]);

    protected static TicketChanges Changes(TicketEditor editor) =>
        new(editor.Audit, [TicketEvent.Create(TicketEventTypes.Updated, editor.Ticket.Id, editor.Ticket.UpdatedAt)]);

    private static async Task<Exception?> Attempt(Func<Task> action)
    {
        try
        {
            await Task.Run(action);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static string Json(Ticket ticket, long version) => TicketSamples.Json(ticket, version);
}
