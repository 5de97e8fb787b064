using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Hustle.Web.Infrastructure;

/// <summary>
/// Refuses cross-site requests that ride on the sign-in cookie (CSRF, cross-site WebSocket hijacking, login CSRF).
/// A browser attaches the cookie to a form another site posts, so a state change (any method but GET, HEAD and
/// OPTIONS) authenticated by the cookie, every hub request authenticated by the cookie (the WebSocket upgrade is a
/// GET that browsers send cross-site with cookies), and a sign-in asking for a cookie must come from this origin.
/// Bearer tokens are not sent by browsers on their own, so requests they authenticate are not checked.
/// Same origin means <c>Sec-Fetch-Site</c> is <c>same-origin</c> or <c>none</c>; a browser without it is judged by
/// <c>Origin</c>, then <c>Referer</c>, against the request's own scheme and host (forwarded headers, when enabled,
/// are applied before). A cookie request with none of these is refused: every browser that can be tricked into
/// sending one sends at least one of them.
/// </summary>
public static class SameOriginRequests
{
    public const string Code = "cross_site_request";

    public static IApplicationBuilder UseSameOriginRequests(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (NeedsSameOrigin(http) && !IsSameOrigin(http.Request))
            {
                await RefuseAsync(http);
                return;
            }

            await next(http);
        });

    private static bool NeedsSameOrigin(HttpContext http)
    {
        var request = http.Request;
        if (request.Path.StartsWithSegments("/api/auth/login") && (request.Query.ContainsKey("useCookies") || request.Query.ContainsKey("useSessionCookies")))
        {
            return true;
        }

        var byCookie = http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Ticket?.AuthenticationScheme == IdentityConstants.ApplicationScheme;
        return byCookie && (request.Path.StartsWithSegments("/hubs") || !IsSafe(request.Method));
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    public static bool IsSameOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site)
        {
            return site.ToString() is "same-origin" or "none";
        }

        if (request.Headers.Origin is { Count: > 0 } origin)
        {
            return SameOriginAs(request, origin.ToString());
        }

        return request.Headers.Referer is { Count: > 0 } referer && SameOriginAs(request, referer.ToString());
    }

    private static bool SameOriginAs(HttpRequest request, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var from)
        && request.Host.HasValue
        && Uri.TryCreate($"{request.Scheme}://{request.Host.Value}/", UriKind.Absolute, out var self)
        && string.Equals(from.Scheme, self.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(from.IdnHost, self.IdnHost, StringComparison.OrdinalIgnoreCase)
        && from.Port == self.Port;

    private static async Task RefuseAsync(HttpContext http)
    {
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SameOriginRequests))
            .LogInformation("Refused cross-site {Method} {Path} (Sec-Fetch-Site {Site}, Origin {Origin}).", http.Request.Method, http.Request.Path, http.Request.Headers["Sec-Fetch-Site"].ToString(), http.Request.Headers.Origin.ToString());
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Cross-site request refused.",
                Detail = "This request came from another site with your sign-in cookie; nothing was changed. Use Hustle's own pages, or a bearer token from an app.",
                Extensions = { ["code"] = Code },
            },
        });
    }
}
