using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using AspireTickets.Infrastructure.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.RateLimiting;

/// <summary>
/// The global rate limiter of every service with an API: two token buckets chained, one per client and one per address.
/// Clients are told apart by what they present, before authentication (so that a flood of bad keys never reaches the
/// key store): an API key (by its SHA-256), a person acting through the Web (the service key must match), or the
/// address when there is neither. The Web's calls are exempt from the address bucket: one Web process speaks for every
/// signed-in person from one address. Health probes and the Web's pages are not limited.
/// </summary>
internal sealed class RequestRateLimiter(IOptions<RequestRateLimitOptions> settings, WebServiceKey serviceKey) : IConfigureOptions<RateLimiterOptions>
{
    public void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = RateLimitRejection.WriteAsync;
        var limits = settings.Value;
        if (!limits.Enabled)
        {
            return;
        }
        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context => ClientPartition(context, limits)),
            PartitionedRateLimiter.Create<HttpContext, string>(context => AddressPartition(context, limits)));
    }

    private RateLimitPartition<string> ClientPartition(HttpContext context, RequestRateLimitOptions limits)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/ingest"))
        {
            return Bucket("ingest:" + Address(context), limits.Ingest);
        }
        if (!IsLimited(path))
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }
        if (IsWeb(context))
        {
            return Bucket("person:" + context.Request.Headers[WebServiceKey.UserHeaderName], limits.Client);
        }
        if (context.Request.Headers[ApiKeyAuthenticationHandler.HeaderName].ToString() is { Length: > 0 } key)
        {
            return Bucket("key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))), limits.Client);
        }
        return Bucket("anonymous:" + Address(context), limits.Client);
    }

    private RateLimitPartition<string> AddressPartition(HttpContext context, RequestRateLimitOptions limits) =>
        !IsLimited(context.Request.Path) || context.Request.Path.StartsWithSegments("/ingest") || IsWeb(context)
            ? RateLimitPartition.GetNoLimiter("unlimited")
            : Bucket("address:" + Address(context), limits.Address);

    private bool IsWeb(HttpContext context) =>
        context.Request.Headers[WebServiceKey.HeaderName].ToString() is { Length: > 0 } presented && serviceKey.Matches(presented);

    private static bool IsLimited(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs");

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : IPAddress.None.ToString();

    private static RateLimitPartition<string> Bucket(string key, TokenBucket bucket) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket.ToLimiterOptions());
}

/// <summary>The 429 answer: problem details and a <c>Retry-After</c> in whole seconds (at least one).</summary>
internal static class RateLimitRejection
{
    public static async ValueTask WriteAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var context = rejected.HttpContext;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This client sent more requests than it may; retry after {seconds} s.",
            },
        });
    }
}
