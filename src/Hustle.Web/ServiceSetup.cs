using System.Security.Claims;
using System.Threading.RateLimiting;
using Hustle.Web.Accounts;
using Hustle.Web.Lifecycle;
using Hustle.Web.Data;
using Hustle.Web.Jobs;
using Hustle.Web.Messaging;
using Hustle.Web.Infrastructure;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Payments.Stripe;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace Hustle.Web;

/// <summary>Hustle's services, one <c>AddX</c> per concern, so <c>Program.cs</c> reads as a list.</summary>
public static class ServiceSetup
{
    public static IServiceCollection AddHustleCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HustleOptions>().Bind(configuration.GetSection(HustleOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<RequestInfo>();
        services.AddIdempotency();
        services.Configure<JsonOptions>(o => Json.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton<ProblemExceptionHandler>();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            ctx.ProblemDetails.Type ??= ProblemExceptionHandler.TypeFor(status);
            ctx.ProblemDetails.Extensions.TryAdd("code", ProblemExceptionHandler.CodeFor(status));
            ctx.ProblemDetails.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier);
            if (ctx.Exception is CodeRefusal refusal)
            {
                ctx.ProblemDetails.Extensions["triesLeft"] = refusal.Check.TriesLeft;
                ctx.ProblemDetails.Extensions["lockedUntil"] = refusal.Check.LockedUntil;
            }
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    ctx.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many requests.", Detail = "Slow down and try again shortly.", Extensions = { ["code"] = "rate_limited" } },
                });
            };
            var limits = configuration.GetSection("Hustle:RateLimits");
            // State changes wait here, before they open a database connection: a node that falls behind then holds a
            // bounded number of SQLite connections (three open files each) rather than one per waiting request, which
            // ran a node out of files at 10 000 users (docs/BENCHMARKS.md), and it answers 429 once the queue is full.
            var writes = new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.GetValue("ConcurrentWrites", 64),
                QueueLimit = limits.GetValue("WriteQueue", 2000),
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                    ? RateLimitPartition.GetConcurrencyLimiter("writes", _ => writes)
                    : RateLimitPartition.GetNoLimiter("others"));
            o.AddPolicy(AccountsApi.SignInPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.GetValue("SignInPerMinute", 20), Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(JobsApi.CodeEntryPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.GetValue("CodeEntryPerMinute", 10), Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(MessagingApi.PostMessagePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.GetValue("MessagesPerMinute", 30), Window = TimeSpan.FromMinutes(1) }));
        });
        services.AddScoped<JobStore>();
        services.AddScoped<ThreadStore>();
        services.AddScoped<Capture>();
        services.AddSingleton<LifecycleSweeper>();
        services.AddHostedService<SweepService>();
        return services;
    }

    /// <summary>
    /// <c>Hustle:Database:Provider</c> picks the database: <c>Sqlite</c> (the default, a file) or <c>PostgreSQL</c>;
    /// <c>ConnectionStrings:Hustle</c> says where. Either way every service asks for <see cref="HustleDb"/> or
    /// <see cref="IDbContextFactory{HustleDb}"/> and gets the chosen provider's context, with its own migrations.
    /// </summary>
    public static IServiceCollection AddHustleData(this IServiceCollection services, IConfiguration configuration, IWebHostEnvironment environment)
    {
        var provider = configuration["Hustle:Database:Provider"];
        var connection = configuration.GetConnectionString("Hustle");
        if (string.IsNullOrEmpty(provider) || provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var synchronous = configuration["Hustle:SqliteSynchronous"] is { Length: > 0 } mode ? new SqliteSynchronousMode(mode) : null;
            services.AddSingleton<SqliteWriteQueue>();
            return services.AddHustleContext<SqliteHustleDb>((sp, o) =>
            {
                o.UseSqlite(connection ?? "Data Source=data/hustle.db").AddInterceptors(sp.GetRequiredService<SqliteWriteQueue>());
                if (synchronous is not null)
                {
                    o.AddInterceptors(synchronous);
                }
            });
        }

        if (provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase) || provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrEmpty(connection))
            {
                throw new InvalidOperationException("Hustle:Database:Provider is PostgreSQL but ConnectionStrings:Hustle is empty: give an Npgsql connection string (Host=...;Database=...;Username=...).");
            }

            return services.AddHustleContext<PostgresHustleDb>((_, o) => o.UseNpgsql(connection));
        }

        throw new InvalidOperationException($"Hustle:Database:Provider '{provider}' is not known: use Sqlite or PostgreSQL.");
    }

    private static IServiceCollection AddHustleContext<TContext>(this IServiceCollection services, Action<IServiceProvider, DbContextOptionsBuilder> configure)
        where TContext : HustleDb
    {
        // AddDbContextFactory also registers TContext itself as scoped, created by the factory.
        services.AddDbContextFactory<TContext>(configure);
        services.AddScoped<HustleDb>(sp => sp.GetRequiredService<TContext>());
        services.AddSingleton<IDbContextFactory<HustleDb>, HustleDbFactory<TContext>>();
        return services;
    }

    private sealed class HustleDbFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<HustleDb>
        where TContext : HustleDb
    {
        public HustleDb CreateDbContext() => inner.CreateDbContext();

        public async Task<HustleDb> CreateDbContextAsync(CancellationToken cancellationToken = default) => await inner.CreateDbContextAsync(cancellationToken);
    }

    public static IServiceCollection AddHustleAccounts(this IServiceCollection services)
    {
        // Tokens and cookies are encrypted with this key ring: kept in the database, every node reads and writes the same one
        // (its keys encrypted with a certificate kept outside the database: AddKeyRingProtection).
        services.AddDataProtection()
            .SetApplicationName("Hustle")
            .PersistKeysToDbContext<HustleDb>();
        services.AddAuthorizationBuilder()
            .AddPolicy(JobsApi.OperatorPolicy, p => p.RequireRole(CurrentUser.OperatorRole));
        services.AddIdentityApiEndpoints<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                PasswordPolicy.Configure(o.Password);
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<HustleDb>()
            .AddPasswordValidator<PasswordPolicy>();
        services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, o =>
        {
            // WebSockets and Server-Sent Events cannot send headers from a browser: the hub takes the token from the query.
            o.Events.OnMessageReceived = ctx =>
            {
                if (ctx.Request.Path.StartsWithSegments("/hubs") && HubAccessToken.Find(ctx.HttpContext) is { } token)
                {
                    ctx.Token = token;
                }

                return Task.CompletedTask;
            };
        });
        services.PostConfigure<PolicySchemeOptions>(BearerOrCookieScheme, o =>
        {
            var byHeader = o.ForwardDefaultSelector;
            o.ForwardDefaultSelector = ctx =>
                ctx.Request.Path.StartsWithSegments("/hubs") && HubAccessToken.Find(ctx) is not null
                    ? IdentityConstants.BearerScheme
                    : byHeader?.Invoke(ctx);
        });
        return services;
    }

    /// <summary>The policy scheme <c>AddIdentityApiEndpoints</c> registers to pick bearer or cookie per request.</summary>
    private const string BearerOrCookieScheme = "Identity.BearerAndApplication";

    /// <summary>The payment provider named by <c>Hustle:Payments:Provider</c>: <c>simulated</c> (the default) or <c>stripe</c>.</summary>
    public static IServiceCollection AddHustlePayments(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Hustle:Payments:Provider"] is { Length: > 0 } named ? named.Trim().ToLowerInvariant() : "simulated";
        switch (provider)
        {
            case "simulated":
                services.AddOptions<SimulatedPaymentOptions>().Bind(configuration.GetSection("Hustle:Payments:Simulated"));
                services.AddSingleton<SimulatedGateway>();
                services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<SimulatedGateway>());
                services.AddSingleton<IPaymentMethodRules>(sp => sp.GetRequiredService<SimulatedGateway>());
                break;
            case StripeGateway.ProviderName:
                services.AddStripeGateway(configuration);
                break;
            default:
                throw new InvalidOperationException($"Hustle:Payments:Provider is '{provider}'; it must be 'simulated' or 'stripe'.");
        }

        services.AddScoped<JobPayments>();
        services.AddScoped<PaymentStore>();
        services.AddScoped<PaymentReconciler>();
        services.AddHostedService<PaymentRecovery>();
        return services;
    }

    public static IServiceCollection AddHustleSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSignalR()
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .AddHustleBackplane(configuration)
            .AddHubCallLogging();
        services.AddHubAccessTokenOutOfUrls();
        services.AddSingleton<SyncMetrics>();
        services.AddScoped<FeedWriter>();
        services.AddOptions<PushQueueOptions>().Bind(configuration.GetSection(PushQueueOptions.Section));
        services.AddSingleton<SignalRFeedPublisher>();
        services.AddSingleton<IFeedPublisher>(sp => sp.GetRequiredService<SignalRFeedPublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<SignalRFeedPublisher>());
        services.TryAddSingleton<IPresenceStore, InMemoryPresenceStore>(); // AddHustleBackplane registers Redis presence first when configured
        services.AddScoped<PresenceTracker>();
        services.AddSingleton<TypingThrottle>();
        return services;
    }

    public static IServiceCollection AddHustleApiDocs(this IServiceCollection services)
    {
        services.AddOpenApi(ApiDocument.Describe);
        services.AddHealthChecks().AddDbContextCheck<HustleDb>("database");
        return services;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.DisableDefaultFonts()); // its fonts come from its CDN, which the page's policy does not allow
        app.MapHealthChecks("/health");
        app.MapGet("/api/config", (IPaymentGateway gateway, IConfiguration configuration) => new
        {
            PaymentProvider = gateway.Name,
            StripePublishableKey = gateway.Name == StripeGateway.ProviderName ? configuration["Hustle:Payments:Stripe:PublishableKey"] : null,
            PollConnectedSeconds = configuration.GetValue("Hustle:Client:PollConnectedSeconds", 60),
            PollDisconnectedSeconds = configuration.GetValue("Hustle:Client:PollDisconnectedSeconds", 15),
        }).WithTags("Operations").WithName("getClientConfig").WithSummary("Read the client's settings: payment provider and polling intervals");
        return app;
    }

    /// <summary>Applies pending migrations at start, so a fresh clone runs with one command.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HustleDb>();
        if (db.Database.IsSqlite())
        {
            OwnerOnlyFiles.PrepareSqlite(db.Database.GetConnectionString());
        }

        await db.Database.MigrateAsync();
        await KeyRingProtection.ForgetUnencryptedKeysAsync(db);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets readers go on while one request commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }
}
