using AspireTickets.Domain.Storage;
using AspireTickets.Infrastructure.Storage;
using AspireTickets.Infrastructure.Storage.Mongo;
using AspireTickets.Infrastructure.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace AspireTickets.Tests.Storage;

public sealed class StorageRegistrationTests(SqliteDataFolder folder) : IClassFixture<SqliteDataFolder>
{
    [Fact]
    public async Task Without_a_tickets_connection_string_the_store_is_sqlite_in_the_data_directory()
    {
        var directory = folder.NewDirectory();
        var builder = NewBuilder(new() { ["Tickets:DataDirectory"] = directory });

        builder.AddTicketStore();
        builder.AddTicketStore(); // every module of the embedded host calls it
        await using var services = builder.Services.BuildServiceProvider();

        var store = Assert.IsType<SqliteTicketStore>(services.GetRequiredService<ITicketStore>());
        Assert.Equal(Path.Combine(directory, "tickets.db"), store.DatabasePath);
        Assert.Same(store, services.GetRequiredService<ITicketStore>());
        Assert.Single(services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "tickets-store");

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, report.Entries["tickets-store"].Status);
        Assert.True(File.Exists(store.DatabasePath));
    }

    [Fact]
    public async Task The_schema_is_created_when_the_host_starts()
    {
        var directory = folder.NewDirectory();
        var builder = NewBuilder(new() { ["Tickets:DataDirectory"] = directory });
        builder.AddTicketStore();
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(File.Exists(Path.Combine(directory, "tickets.db")));
    }

    [Fact]
    public async Task A_relative_data_directory_is_under_the_content_root()
    {
        var root = folder.NewDirectory();
        Directory.CreateDirectory(root);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root, DisableDefaults = true });

        builder.AddTicketStore();
        await using var services = builder.Services.BuildServiceProvider();

        var store = Assert.IsType<SqliteTicketStore>(services.GetRequiredService<ITicketStore>());
        Assert.Equal(Path.Combine(root, "data", "tickets.db"), store.DatabasePath);
    }

    [Fact]
    public async Task With_a_tickets_connection_string_the_store_is_mongodb_on_the_database_of_the_url()
    {
        // Nothing listens there; registering and resolving must not need a server.
        var builder = NewBuilder(new() { ["ConnectionStrings:tickets"] = "mongodb://127.0.0.1:1/helpdesk?serverSelectionTimeoutMS=100" });

        builder.AddTicketStore();
        await using var services = builder.Services.BuildServiceProvider();

        Assert.IsType<MongoTicketStore>(services.GetRequiredService<ITicketStore>());
        Assert.Equal("helpdesk", services.GetRequiredService<IMongoDatabase>().DatabaseNamespace.DatabaseName);
        Assert.Same(services.GetRequiredService<IMongoClient>(), services.GetRequiredService<IMongoDatabase>().Client);

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["tickets-store"].Status);
    }

    private static HostApplicationBuilder NewBuilder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
