using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>
    /// The <see cref="RequestRateLimiter"/>, first in the pipeline of every service with an API (Api, Ingestion, Agents;
    /// all three in the embedded run, where registering it again changes nothing).
    /// </summary>
    public static IHostApplicationBuilder AddTicketsRateLimits(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RequestRateLimitOptions>().BindConfiguration(RequestRateLimitOptions.SectionName);
        services.TryAddSingleton<WebServiceKey>();
        services.AddRateLimiter(_ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<RateLimiterOptions>, RequestRateLimiter>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, RateLimitStartupFilter>());
        return builder;
    }

    private sealed class RateLimitStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRateLimiter();
            next(app);
        };
    }
}
