using AspireTickets.Domain;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;

namespace AspireTickets.Infrastructure.Documents;

public static class DocumentStoreExtensions
{
    /// <summary>
    /// Registers <see cref="IDocumentStore"/> by the same rule as the ticket store: MongoDB (the database of
    /// <c>ConnectionStrings:tickets</c>) when set, otherwise <c>documents.db</c> in the data folder.
    /// Safe to call from every module.
    /// </summary>
    public static IHostApplicationBuilder AddDocumentStore(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IDocumentStore)))
        {
            return builder;
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionNames.Tickets)))
        {
            builder.AddTicketStore();
            builder.Services.TryAddSingleton<IDocumentStore>(sp => new MongoDocumentStore(sp.GetRequiredService<IMongoDatabase>()));
        }
        else
        {
            var dataDirectory = TicketStorageOptions.ResolveDataDirectory(builder);
            builder.Services.TryAddSingleton<IDocumentStore>(_ => new SqliteDocumentStore(dataDirectory));
        }
        return builder;
    }
}
