using AspireTickets.Domain;
using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

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

    private static void AddMongoTicketStore(IHostApplicationBuilder builder, string connectionString)
    {
        _ = builder;
        _ = connectionString;
        throw new NotSupportedException("MongoDB store registration is added with the MongoDB adapter.");
    }

    /// <summary>Marks that the store is registered, so repeated calls from several modules add nothing twice.</summary>
    private sealed class TicketStoreRegistered;
}
