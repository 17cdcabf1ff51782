using AspireTickets.Domain.Taxonomy;
using AspireTickets.Infrastructure.Caching;
using AspireTickets.Infrastructure.Documents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Taxonomy;

public static class TaxonomyExtensions
{
    /// <summary>How often a process re-reads the stored taxonomy (<c>Tickets:TaxonomyRefresh</c>, a TimeSpan).</summary>
    public const string RefreshIntervalKey = "Tickets:TaxonomyRefresh";
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <see cref="TicketTaxonomy"/> from configuration (<c>Tickets:Taxonomy</c>) with the stored value a lead saved on
    /// top. Read it through <see cref="IOptionsMonitor{TicketTaxonomy}"/>: IOptions would keep the first value forever.
    /// </summary>
    public static IHostApplicationBuilder AddStoredTaxonomy(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(StoredTaxonomy)))
        {
            return builder;
        }
        builder.AddDocumentStore();
        builder.AddTicketsCache();
        services.AddOptions<TicketTaxonomy>().BindConfiguration("Tickets:Taxonomy");
        services.AddSingleton<StoredTaxonomy>();
        services.AddSingleton<IPostConfigureOptions<TicketTaxonomy>>(sp => sp.GetRequiredService<StoredTaxonomy>());
        services.AddSingleton<IOptionsChangeTokenSource<TicketTaxonomy>>(sp => sp.GetRequiredService<StoredTaxonomy>());
        var interval = builder.Configuration.GetValue<TimeSpan?>(RefreshIntervalKey) ?? DefaultRefreshInterval;
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService(sp => new TaxonomyRefresher(sp.GetRequiredService<StoredTaxonomy>(), interval,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TaxonomyRefresher>>()));
        return builder;
    }
}

/// <summary>
/// Loads the stored taxonomy at start and then re-reads it every interval. A save applies at once in the process that
/// handled it; in the distributed run the Api, the agents and the ingestion each have their own process, and this
/// polling is how the others converge (within one interval) without a message bus for settings.
/// </summary>
internal sealed class TaxonomyRefresher(StoredTaxonomy taxonomy, TimeSpan interval, TimeProvider time, ILogger<TaxonomyRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RefreshAsync(stoppingToken);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await taxonomy.RefreshAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store that is briefly unreachable must not stop the service; the last value (or configuration) stays.
            logger.LogWarning(ex, "Could not read the stored taxonomy; keeping the current one");
        }
    }
}
