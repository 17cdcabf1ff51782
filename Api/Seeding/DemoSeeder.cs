using AspireTickets.Domain.Storage;

namespace AspireTickets.Api.Seeding;

/// <summary>
/// Loads the demo history at start when <c>Tickets:SeedDemo</c> is true (the <c>--seed-demo</c> switch).
/// Source keys make it idempotent: starting with the switch again adds nothing.
/// </summary>
public sealed class DemoSeeder(ITicketStore store, IConfiguration configuration, TimeProvider time, ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Tickets:SeedDemo"))
        {
            return;
        }
        var count = configuration.GetValue("Tickets:SeedDemoCount", DemoTicketGenerator.DefaultCount);
        var results = await store.CreateManyAsync(DemoTicketGenerator.Generate(count, time.GetUtcNow()), cancellationToken);
        logger.LogInformation("Demo data: {Created} tickets created, {Existing} already present.", results.Count(r => r.Created), results.Count(r => !r.Created));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
