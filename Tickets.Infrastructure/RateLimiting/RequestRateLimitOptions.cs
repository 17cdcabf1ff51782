using System.Threading.RateLimiting;

namespace AspireTickets.Infrastructure.RateLimiting;

/// <summary>
/// How many requests each client may make (<c>Tickets:RateLimits</c>). Every bucket holds <see cref="TokenBucket.TokenLimit"/>
/// requests (the burst) and refills <see cref="TokenBucket.TokensPerPeriod"/> every <see cref="TokenBucket.Period"/>
/// (the sustained rate). Defaults are far above what a person in the Web or a well-behaved integration sends, and low
/// enough that one runaway script cannot take the service from everyone else.
/// </summary>
public sealed class RequestRateLimitOptions
{
    public const string SectionName = "Tickets:RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>One API key, one person acting through the Web, or one address sending no credentials.</summary>
    public TokenBucket Client { get; set; } = new() { TokenLimit = 100, TokensPerPeriod = 50 };

    /// <summary>All API requests from one address together (API keys and anonymous); the Web's own calls are exempt.</summary>
    public TokenBucket Address { get; set; } = new() { TokenLimit = 400, TokensPerPeriod = 200 };

    /// <summary>Webhook deliveries and imports from one address (<c>/ingest</c>).
    /// A bulk edit in Jira or an alert storm sends bursts, and senders retry a 429 later, so this bucket is larger.</summary>
    public TokenBucket Ingest { get; set; } = new() { TokenLimit = 1000, TokensPerPeriod = 500 };
}

public sealed class TokenBucket
{
    public int TokenLimit { get; set; }

    public int TokensPerPeriod { get; set; }

    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No queue: a request over the limit is answered 429 at once rather than held while the server is busy.</summary>
    public TokenBucketRateLimiterOptions ToLimiterOptions() => new()
    {
        TokenLimit = TokenLimit,
        TokensPerPeriod = TokensPerPeriod,
        ReplenishmentPeriod = Period,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
