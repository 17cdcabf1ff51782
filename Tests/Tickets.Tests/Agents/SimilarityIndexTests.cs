using AspireTickets.Agents.Intelligence.Similarity;
using AspireTickets.Agents.Similarity;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Tickets;
using Microsoft.Extensions.Options;

namespace AspireTickets.Tests.Agents;

public sealed class SimilarityIndexTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Topics = ["printer", "invoice", "vpn", "calendar", "upload", "dashboard", "token", "backup", "wifi", "search"];

    [Fact]
    public void A_candidate_pool_smaller_than_the_corpus_still_finds_the_duplicate_first()
    {
        var exact = new SimilarityCorpus<string>();
        var pooled = new SimilarityCorpus<string> { CandidatePool = 20 };
        var random = new Random(3);
        for (var i = 0; i < 400; i++)
        {
            var title = $"{Topics[random.Next(Topics.Length)]} problem number {i} on host srv{random.Next(50)}";
            foreach (var corpus in new[] { exact, pooled })
            {
                corpus.Upsert(Guid.CreateVersion7(), title, "It stopped working after the update.", title);
            }
        }
        var original = Guid.NewGuid();
        foreach (var corpus in new[] { exact, pooled })
        {
            corpus.Upsert(original, "Kerberos ticket renewal fails with clock skew", "klist shows the ticket expired; the domain controller reports clock skew.", "original");
        }

        var fromPool = pooled.Find("Kerberos renewal fails: clock skew", "The ticket expired, domain controller says clock skew.", 5);
        var fromAll = exact.Find("Kerberos renewal fails: clock skew", "The ticket expired, domain controller says clock skew.", 5);

        Assert.Equal("original", fromPool[0].Entry);
        Assert.Equal(fromAll[0].Score, fromPool[0].Score, 6);
    }

    [Fact]
    public async Task A_saved_index_is_loaded_and_only_changed_tickets_are_embedded_again()
    {
        await using var app = await AgentsHarness.StartAsync();
        var kept = await app.CreateAsync("VPN drops every hour", "The tunnel disconnects.");
        var changed = await app.CreateAsync("Invoice is blank", "The PDF is empty.");
        var directory = Path.Combine(app.DataDirectory, "snapshot-test");
        await app.Index.SaveAsync(directory, Ct);

        var loaded = (await app.Store.GetAsync(changed.Id, Ct))!;
        var editor = new TicketEditor(loaded, "api:tests", app.Time.GetUtcNow()).SetTitle("Invoice PDF is blank since March");
        await app.Store.UpdateAsync(loaded, changed.Version, new AspireTickets.Domain.Storage.TicketChanges(editor.Audit, []), Ct);

        var fresh = new TicketSimilarityIndex(Options.Create(new AgentsOptions()), new InMemoryVectorIndex(new LocalEmbeddingOptions().Dimensions));
        var embedded = await fresh.SyncFromStoreAsync(app.Store, directory, Ct);

        Assert.Equal(1, embedded);
        Assert.Equal(2, fresh.Count);
        Assert.Equal("Invoice PDF is blank since March", fresh.Get(changed.Id)?.Title);
        Assert.Equal(kept.Id, fresh.FindSimilar("VPN drops every hour", "The tunnel disconnects.", 1)[0].Entry.Id);
    }
}
