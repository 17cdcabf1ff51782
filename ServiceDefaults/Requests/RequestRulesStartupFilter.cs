using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace AspireTickets.ServiceDefaults.Requests;

/// <summary>
/// Puts the request rules every service shares at the very start of its pipeline, before exception handlers and
/// endpoints, so that no service (standalone or composed into the embedded host) can forget them.
/// </summary>
internal sealed class RequestRulesStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<KnownCharsetMiddleware>();
        next(app);
    };
}
