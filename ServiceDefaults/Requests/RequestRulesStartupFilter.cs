using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace AspireTickets.ServiceDefaults.Requests;

/// <summary>
/// Puts the request rules every service shares at the very start of its pipeline, before exception handlers and
/// endpoints, so that no service (standalone or composed into the embedded host) can forget them. The request log
/// comes first so that requests refused by the later rules are logged too.
/// </summary>
internal sealed class RequestRulesStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseRequestLogging();
        app.UseMiddleware<KnownCharsetMiddleware>();
        next(app);
    };
}
