using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;

namespace AspireTickets.Infrastructure.Events;

/// <summary>
/// The dead letters of every adapter, kept in the document store (collection <c>dead_letters</c>, grouped by
/// consumer group) so the API lists and replays them the same way whether the log is in-process or Kafka.
/// </summary>
public sealed class DeadLetterStore(IDocumentStore documents, TimeProvider time)
{
    public const string CollectionName = "dead_letters";

    // Paging walks the newest-first list; dead letters are rare, and a backlog this deep needs fixing, not paging.
    private const int MaxListed = 10_000;

    private IDocumentCollection<DeadLetter> Letters => documents.Collection<DeadLetter>(CollectionName);

    public TimeProvider Time => time;

    public Task RecordAsync(DeadLetter letter, CancellationToken cancellationToken = default) =>
        Letters.UpsertAsync(new StoredDocument<DeadLetter>(letter.Id.ToString(), letter, letter.DeadLetteredAt, letter.ConsumerGroup), cancellationToken);

    public Task<DeadLetter?> GetAsync(Guid id, CancellationToken cancellationToken = default) => Letters.GetAsync(id.ToString(), cancellationToken);

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default) => Letters.DeleteAsync(id.ToString(), cancellationToken);

    /// <summary>Newest first; <paramref name="page"/> counts from 1.</summary>
    public async Task<DeadLetterPage> ListAsync(string? consumerGroup, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var total = await Letters.CountAsync(consumerGroup, cancellationToken);
        var skip = (long)(page - 1) * pageSize;
        if (skip >= total || skip >= MaxListed)
        {
            return new DeadLetterPage([], total, page, pageSize);
        }
        var upTo = (int)Math.Min(skip + pageSize, MaxListed);
        var letters = await Letters.ListAsync(consumerGroup, upTo, newestFirst: true, cancellationToken);
        return new DeadLetterPage([.. letters.Skip((int)skip)], total, page, pageSize);
    }

    /// <summary>
    /// Delivers the dead letter's event again to its consumer group, then removes the dead letter. If it fails
    /// again it comes back as a new dead letter. A crash between the two steps leaves the letter to be replayed
    /// once more, which idempotent consumers absorb.
    /// </summary>
    public async Task<DeadLetter?> ReplayAsync(Guid id, IEventLog eventLog, CancellationToken cancellationToken = default)
    {
        var letter = await GetAsync(id, cancellationToken);
        if (letter is null)
        {
            return null;
        }
        await eventLog.RedeliverAsync(letter.Event, letter.ConsumerGroup, cancellationToken);
        await DeleteAsync(id, cancellationToken);
        return letter;
    }
}

public sealed record DeadLetterPage(IReadOnlyList<DeadLetter> Items, long TotalCount, int Page, int PageSize);

internal static class DeadLetterStoreExtensions
{
    /// <summary>
    /// Records a dead letter, retrying a failing store; if it still fails the exception propagates so the event is
    /// not committed and comes back later: a dead letter is never dropped silently.
    /// </summary>
    public static async Task RecordWithRetryAsync(this DeadLetterStore store, DeadLetter letter, EventLogOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.RecordAsync(letter, cancellationToken);
                EventTelemetry.RecordDeadLettered(letter.Event, letter.ConsumerGroup);
                return;
            }
            catch (Exception) when (attempt < options.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(options.BackoffFor(attempt), cancellationToken);
            }
        }
    }
}
