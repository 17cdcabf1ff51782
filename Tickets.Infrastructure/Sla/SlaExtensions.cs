using AspireTickets.Domain.Sla;
using AspireTickets.Infrastructure.Caching;
using AspireTickets.Infrastructure.Documents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AspireTickets.Infrastructure.Sla;

public static class SlaExtensions
{
    /// <summary>
    /// Registers the stored SLA policies and the <see cref="SlaCalculator"/> every ticket writer uses
    /// (with the document store and the cache they need). Safe to call from every module.
    /// </summary>
    public static IHostApplicationBuilder AddSlaPolicies(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore();
        builder.AddTicketsCache();
        builder.Services.TryAddSingleton<SlaPolicyStore>();
        builder.Services.TryAddSingleton<ISlaPolicySource>(sp => sp.GetRequiredService<SlaPolicyStore>());
        builder.Services.TryAddSingleton<SlaCalculator>();
        return builder;
    }
}
