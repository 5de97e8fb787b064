using Hustle.Web.Setup;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Infrastructure;

/// <summary>
/// Headers every answer carries, problems and static files included: a Content-Security-Policy that allows only
/// Hustle's own scripts, styles and connections (and Stripe's script, frames and API when the node takes payments
/// through Stripe), no framing, <c>nosniff</c>, a referrer policy, and HSTS on HTTPS. They are added when the
/// response starts, so an exception handler that clears the response does not lose them.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The Scalar API page (<c>/scalar</c>) starts itself with an inline module script: it alone gets that.</summary>
    public const string ApiDocsPath = "/scalar";

    private const string Common = "default-src 'self'; base-uri 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddHustleSecurityHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var stripe = configuration.ReadSettings<PaymentOptions>(PaymentOptions.Section).IsStripe;
        services.AddSingleton(new ContentSecurityPolicy(AppPolicy(stripe), ApiDocsPolicy()));
        services.AddHsts(_ => { });
        return services;
    }

    public static IApplicationBuilder UseHustleSecurityHeaders(this IApplicationBuilder app)
    {
        var policy = app.ApplicationServices.GetRequiredService<ContentSecurityPolicy>();
        var hsts = HstsValue(app.ApplicationServices.GetRequiredService<IOptions<HstsOptions>>().Value);
        var excludedHosts = app.ApplicationServices.GetRequiredService<IOptions<HstsOptions>>().Value.ExcludedHosts;
        return app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(ApiDocsPath) ? policy.ApiDocs : policy.App;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                // As UseHsts: only over HTTPS, and never for localhost (a developer's other sites would be pinned too).
                if (http.Request.IsHttps && !excludedHosts.Contains(http.Request.Host.Host, StringComparer.OrdinalIgnoreCase))
                {
                    headers.StrictTransportSecurity = hsts;
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
    }

    /// <summary>
    /// The web client: scripts, styles and connections from this origin only ('self' covers ws: and wss: of this host
    /// in CSP 3, which is what SignalR's WebSocket needs). With Stripe, its Payment Element loads js.stripe.com, frames
    /// it (and hooks.stripe.com for 3-D Secure) and calls api.stripe.com.
    /// </summary>
    private static string AppPolicy(bool stripe) => stripe
        ? $"{Common}; script-src 'self' https://js.stripe.com https://*.js.stripe.com; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self' https://api.stripe.com; frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com"
        : $"{Common}; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'none'";

    /// <summary>Scalar's page: its own bundled script (served from this origin) plus the inline call that starts it.</summary>
    private static string ApiDocsPolicy() =>
        $"{Common}; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";

    private static string HstsValue(HstsOptions o) =>
        $"max-age={(long)o.MaxAge.TotalSeconds}" + (o.IncludeSubDomains ? "; includeSubDomains" : "") + (o.Preload ? "; preload" : "");

    /// <summary>The policies worked out once at start: for the web client and API, and for the API docs page.</summary>
    public sealed record ContentSecurityPolicy(string App, string ApiDocs);
}
