using AspireTickets.Domain;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Storage.Mongo;
using AspireTickets.Infrastructure.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;

namespace AspireTickets.Infrastructure.Storage;

public static class StorageExtensions
{
    public const string HealthCheckName = "tickets-store";

    /// <summary>
    /// Registers <see cref="ITicketStore"/>: MongoDB when <c>ConnectionStrings:tickets</c> is set, otherwise the
    /// embedded SQLite file in <c>Tickets:DataDirectory</c>. Adds the "tickets-store" health check and creates
    /// the schema at start. Every module of the embedded host calls this; only the first call registers.
    /// </summary>
    public static IHostApplicationBuilder AddTicketStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(TicketStoreRegistered)))
        {
            return builder;
        }
        builder.Services.AddSingleton<TicketStoreRegistered>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        var connectionString = builder.Configuration.GetConnectionString(ConnectionNames.Tickets);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            AddMongoTicketStore(builder, connectionString);
        }
        else
        {
            AddSqliteTicketStore(builder);
        }

        builder.Services.AddHostedService<TicketStoreInitializer>();
        builder.Services.AddHealthChecks().AddCheck<TicketStoreHealthCheck>(HealthCheckName, tags: ["ready"]);
        return builder;
    }

    private static void AddSqliteTicketStore(IHostApplicationBuilder builder)
    {
        var dataDirectory = TicketStorageOptions.ResolveDataDirectory(builder);

        builder.Services.AddSingleton(sp => new SqliteTicketStore(dataDirectory, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ITicketStore>(sp => sp.GetRequiredService<SqliteTicketStore>());
    }

    // As Aspire's MongoDB client integration does: one IMongoClient for the process and the IMongoDatabase named in
    // the URL (mongodb://host/tickets), both singletons; the store's health check stands in for the integration's.
    private static void AddMongoTicketStore(IHostApplicationBuilder builder, string connectionString)
    {
        var url = MongoUrl.Create(connectionString);
        var databaseName = string.IsNullOrEmpty(url.DatabaseName) ? ConnectionNames.Tickets : url.DatabaseName;

        builder.Services.TryAddSingleton<IMongoClient>(_ => new MongoClient(url));
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IMongoClient>().GetDatabase(databaseName));
        builder.Services.AddSingleton(sp => new MongoTicketStore(
            sp.GetRequiredService<IMongoDatabase>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<MongoTicketStore>>()));
        builder.Services.AddSingleton<ITicketStore>(sp => sp.GetRequiredService<MongoTicketStore>());
    }

    /// <summary>Marks that the store is registered, so repeated calls from several modules add nothing twice.</summary>
    private sealed class TicketStoreRegistered;
}
