using System.Security.Claims;
using System.Threading.RateLimiting;
using Hustle.Web.Setup;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Infrastructure;

/// <summary>
/// Per-user limits on what creates rows for everyone else to read: posting jobs, making offers, opening threads
/// (messages have their own, <c>MessagesPerMinute</c>). Each user has a token bucket per kind, partitioned by the user
/// id of the principal, that holds a minute's worth and refills evenly over the minute: a burst of that size, then
/// that rate. Over it the answer is 429 <c>rate_limited</c> with <c>Retry-After</c>, before the handler runs.
/// Defaults (<c>Hustle:RateLimits:JobsPerMinute</c> 60, <c>OffersPerMinute</c> 120, <c>ThreadsPerMinute</c> 60) sit
/// above the load benchmark's busiest users (about 43 jobs and 43 offers a minute each) and far below a script's
/// hundreds.
/// </summary>
public static class UserLimits
{
    public const string PostJobs = "user-post-jobs";
    public const string MakeOffers = "user-make-offers";
    public const string OpenThreads = "user-open-threads";

    /// <summary>Needs <c>AddHustleRateLimits</c>, which binds <see cref="RateLimitOptions"/>.</summary>
    public static IServiceCollection AddUserLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, settings) =>
        {
            var limits = settings.Value;
            o.AddPolicy(PostJobs, http => PerUser(http, PostJobs, limits.JobsPerMinute));
            o.AddPolicy(MakeOffers, http => PerUser(http, MakeOffers, limits.OffersPerMinute));
            o.AddPolicy(OpenThreads, http => PerUser(http, OpenThreads, limits.ThreadsPerMinute));
        });
        return services;
    }

    private static RateLimitPartition<string> PerUser(HttpContext http, string kind, int permits)
    {
        var user = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "address:" + http.Connection.RemoteIpAddress;
        return RateLimitPartition.GetTokenBucketLimiter($"{kind}|{user}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / permits,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
