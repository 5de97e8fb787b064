using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hustle.Web.Sync;

/// <summary>
/// Browsers cannot put headers on a WebSocket or an EventSource, so the hub takes the bearer token as
/// <c>?access_token=</c>. A token in a URL ends up in logs: ASP.NET Core's "Request starting" line (Information),
/// HTTP logging, and anything else that prints the query. So the token is taken out of the request before anything
/// sees it: the <see cref="IHttpContextFactory"/> that makes each request's context moves it from the query string
/// (and the raw target) into a <see cref="HubAccessToken"/> feature, which the bearer handler reads. Nothing later
/// in the pipeline, the hosting diagnostics included, ever has it in the URL.
/// </summary>
public sealed class HubAccessToken(string token)
{
    public const string QueryKey = "access_token";

    public string Token { get; } = token;

    /// <summary>The hub's token of this request: moved out of the query when the request came in.</summary>
    public static string? Find(HttpContext http) => http.Features.Get<HubAccessToken>()?.Token;

    /// <summary><paramref name="target"/> (<c>/hubs/sync?id=1&amp;access_token=x</c>, or just the query) without its access_token; null when it has none.</summary>
    public static string? Without(string? target)
    {
        var q = target?.IndexOf('?') ?? -1;
        if (target is null || q < 0)
        {
            return null;
        }

        var parameters = target[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries);
        var kept = parameters.Where(p => !IsToken(p)).ToArray();
        return kept.Length == parameters.Length ? null : target[..q] + (kept.Length > 0 ? "?" + string.Join('&', kept) : "");
    }

    private static bool IsToken(string parameter) =>
        parameter.StartsWith(QueryKey + "=", StringComparison.OrdinalIgnoreCase) || parameter.Equals(QueryKey, StringComparison.OrdinalIgnoreCase);

    internal sealed class TakingTokenOutOfUrls(DefaultHttpContextFactory inner) : IHttpContextFactory
    {
        public HttpContext Create(IFeatureCollection featureCollection)
        {
            if (featureCollection.Get<IHttpRequestFeature>() is { } request
                && request.Path.StartsWith("/hubs", StringComparison.OrdinalIgnoreCase)
                && Without(request.QueryString) is { } query)
            {
                var token = QueryHelpers.ParseQuery(request.QueryString).TryGetValue(QueryKey, out var value) ? value.ToString() : "";
                featureCollection.Set(new HubAccessToken(token));
                request.QueryString = query;
                request.RawTarget = Without(request.RawTarget) ?? request.RawTarget;
            }

            return inner.Create(featureCollection);
        }

        public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);
    }
}

public static class HubAccessTokenSetup
{
    /// <summary>Makes every request's context through <see cref="HubAccessToken.TakingTokenOutOfUrls"/>.</summary>
    public static IServiceCollection AddHubAccessTokenOutOfUrls(this IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<IHttpContextFactory>(sp => new HubAccessToken.TakingTokenOutOfUrls(new DefaultHttpContextFactory(sp))));
}
