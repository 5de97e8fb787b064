using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Hustle.Web.Accounts;
using Hustle.Web.Jobs;
using Hustle.Web.Messaging;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Setup;

/// <summary>The request limits of <see cref="RateLimitOptions"/>, answered 429 <c>rate_limited</c> with <c>Retry-After</c>.</summary>
public static class RateLimitSetup
{
    public static IServiceCollection AddHustleRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RateLimitOptions>(configuration, RateLimitOptions.Section);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, settings) =>
        {
            var limits = settings.Value;
            // State changes wait here, before they open a database connection: a node that falls behind then holds a
            // bounded number of SQLite connections (three open files each) rather than one per waiting request, which
            // ran a node out of files at 10 000 users (docs/BENCHMARKS.md), and it answers 429 once the queue is full.
            var writes = new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.ConcurrentWrites,
                QueueLimit = limits.WriteQueue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                IsApiWrite(http.Request)
                    ? RateLimitPartition.GetConcurrencyLimiter("writes", _ => writes)
                    : RateLimitPartition.GetNoLimiter("others"));
            o.AddPolicy(AccountsApi.SignInPolicy, http => PerMinute(Address(http), limits.SignInPerMinute));
            o.AddPolicy(JobsApi.CodeEntryPolicy, http => PerMinute(http.User.Identity?.Name ?? Address(http), limits.CodeEntryPerMinute));
            o.AddPolicy(MessagingApi.PostMessagePolicy, http => PerMinute(http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? Address(http), limits.MessagesPerMinute));
        });
        return services;
    }

    private static bool IsApiWrite(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";

    private static RateLimitPartition<string> PerMinute(string partition, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1) });

    private static async ValueTask RejectAsync(OnRejectedContext ctx, CancellationToken ct)
    {
        if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
        {
            ctx.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = ctx.HttpContext,
            ProblemDetails = { Status = 429, Title = "Too many requests.", Detail = "Slow down and try again shortly.", Extensions = { ["code"] = "rate_limited" } },
        });
    }
}
