using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireTickets.ServiceDefaults.Requests;

/// <summary>
/// One log line per request (method, path, status, duration) and never its query string. ASP.NET Core's own
/// "Request starting/finished" lines (category <see cref="HostingDiagnosticsCategory"/>) print the full URL, and queries
/// carry personal data here: <c>?q=</c> searches by customer name or e-mail, <c>?assignee=</c> names a person.
/// Those lines are silenced below Warning in every service and replaced by the HTTP logging middleware, told to log
/// the path alone. Traces are covered separately: the OpenTelemetry ASP.NET Core and HttpClient instrumentations
/// redact query values by default, and HttpClient's own logging does too (both checked by RequestLoggingTests).
/// </summary>
public static class RequestLogging
{
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>What a request line holds: nothing from the query, headers or body.</summary>
    public const HttpLoggingFields Fields =
        HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.RequestProtocol
        | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;

    public static TBuilder AddRequestLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddFilter(HostingDiagnosticsCategory, LogLevel.Warning);
        builder.Services.AddHttpLogging(options =>
        {
            options.LoggingFields = Fields;
            options.CombineLogs = true;
        });
        return builder;
    }

    internal static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseHttpLogging();
}
