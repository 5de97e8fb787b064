using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Hustle.Web.Setup;

/// <summary>
/// OpenTelemetry metrics in Prometheus' text format at <c>GET /metrics</c>: ASP.NET Core's own meters (requests,
/// Kestrel, SignalR connections, rate limiting, authentication), EF Core's and Npgsql's, the .NET runtime's (GC, thread
/// pool, locks, JIT, CPU) and <see cref="SyncMetrics"/>. Each of these libraries publishes its meter itself since
/// .NET 9, so naming the meters is all the instrumentation there is.
/// </summary>
public static class TelemetrySetup
{
    public const string Path = "/metrics";
    public const string ReaderPolicy = "metrics-reader";

    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.*",
        "Microsoft.EntityFrameworkCore",
        "Npgsql",
        "System.Runtime",
        SyncMetrics.MeterName,
        SqliteGroupCommit.MeterName,
    ];

    public static IServiceCollection AddHustleTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<MetricsOptions>(configuration, MetricsOptions.Section);
        if (!configuration.ReadSettings<MetricsOptions>(MetricsOptions.Section).Enabled)
        {
            return services;
        }

        services.AddOpenTelemetry().ConfigureResource(r => r.AddService("Hustle.Web")).WithMetrics(metrics => metrics
            .AddMeter(Meters)
            // Every scrape collects afresh: readers a second apart (the load benchmark) must not see the last one's figures.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddAuthorizationBuilder().AddPolicy(ReaderPolicy, p => p.RequireAssertion(MayRead));
        services.AddTransient<IStartupFilter, ManagementPortOnlyServesMetrics>();
        return services;
    }

    /// <summary>The scrape endpoint, left out of the HTTP metrics it serves (a scraper's requests are not traffic).</summary>
    public static WebApplication MapHustleTelemetry(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
        {
            return app;
        }

        app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(ReaderPolicy).DisableHttpMetrics();
        return app;
    }

    /// <summary>
    /// An operator, from anywhere; anyone on the management port. The port is the one the connection really arrived on,
    /// not the <c>Host</c> header a client writes (which <c>RequireHost</c> would trust).
    /// </summary>
    private static bool MayRead(AuthorizationHandlerContext context)
    {
        if (context.User.IsInRole(CurrentUser.OperatorRole))
        {
            return true;
        }

        return context.Resource is HttpContext http
            && http.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.Port is { } port
            && http.Connection.LocalPort == port;
    }

    /// <summary>
    /// The management port answers <c>/metrics</c> and <c>/health</c>, nothing else: it is not a second door to the API
    /// around whatever stands in front of the public port. First in the pipeline, before anything reads the request.
    /// </summary>
    private sealed class ManagementPortOnlyServesMetrics(IOptions<MetricsOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (options.Value.Port is { } port)
            {
                app.Use((context, nextMiddleware) =>
                    context.Connection.LocalPort != port || context.Request.Path == Path || context.Request.Path == "/health"
                        ? nextMiddleware(context)
                        : Results.NotFound().ExecuteAsync(context));
            }

            next(app);
        };
    }
}
