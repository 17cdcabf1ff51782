using AspireTickets.Domain.Storage;

namespace AspireTickets.Infrastructure.Notifications;

/// <summary>The configured channels (document collection <c>notification_channels</c>).</summary>
public sealed class NotificationChannelStore(IDocumentStore documents)
{
    public const string CollectionName = "notification_channels";

    private IDocumentCollection<NotificationChannel> Collection => documents.Collection<NotificationChannel>(CollectionName);

    public Task<IReadOnlyList<NotificationChannel>> ListAsync(CancellationToken cancellationToken = default) =>
        Collection.ListAsync(limit: 1000, newestFirst: false, cancellationToken: cancellationToken);

    public Task<NotificationChannel?> GetAsync(string id, CancellationToken cancellationToken = default) => Collection.GetAsync(id, cancellationToken);

    public Task UpsertAsync(NotificationChannel channel, CancellationToken cancellationToken = default) =>
        Collection.UpsertAsync(new StoredDocument<NotificationChannel>(channel.Id, channel, channel.CreatedAt), cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => Collection.DeleteAsync(id, cancellationToken);
}
