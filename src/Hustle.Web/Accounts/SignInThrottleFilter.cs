using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.Data;

namespace Hustle.Web.Accounts;

/// <summary>Answers a sign-in attempt that <see cref="SignInThrottle"/> says must wait with 429 <c>rate_limited</c> and <c>Retry-After</c>.</summary>
public sealed class SignInThrottleFilter(SignInThrottle throttle, ILookupNormalizer normalizer) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.Arguments.OfType<LoginRequest>().FirstOrDefault() is { Email: { Length: > 0 } email }
            && throttle.RetryAfter(normalizer.NormalizeName(email), ClientAddress(context.HttpContext)) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                detail: $"Too many wrong passwords; try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests.",
                type: "https://www.rfc-editor.org/rfc/rfc6585#section-4",
                extensions: new Dictionary<string, object?> { ["code"] = "rate_limited", ["retryAfter"] = seconds });
        }

        return await next(context);
    }

    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";
}
