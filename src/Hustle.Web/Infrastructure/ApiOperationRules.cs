using Hustle.Web.Jobs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Hustle.Web.Infrastructure;

/// <summary>
/// What one operation's entry says beyond its mapping: its security (bearer or cookie, or explicitly none), the
/// <c>Idempotency-Key</c> header where the middleware honours it, and a problem answer with an example for every
/// refusal its metadata implies (signed out, not an operator, not a participant, unreadable body, rate limit) or
/// that its mapping declares with <c>ProducesProblem</c>.
/// </summary>
public static class ApiOperationRules
{
    private static readonly Dictionary<int, (string Code, string Description)> Refusals = new()
    {
        [400] = ("validation_failed", "The request is not valid (`validation_failed`): `detail` and `errors` say what is wrong. Nothing changed."),
        [401] = ("unauthorized", "Not signed in, or the session has ended."),
        [402] = ("payment_declined", "The payment provider refused (`payment_declined`, `payment_failed`); the job is unchanged."),
        [403] = ("forbidden", "Signed in, but not allowed: only operators may call this."),
        [404] = ("not_found", "No such resource, or the caller is not one of its participants: never another person's data."),
        [409] = ("invalid_transition", "Refused in the current state (`invalid_transition`, `price_locked`), or someone else changed it at the same moment (`concurrency_conflict`). Nothing changed."),
        [413] = ("payload_too_large", "The body is larger than the API accepts."),
        [422] = ("code_invalid", "A wrong start or completion code (`code_invalid`, with `triesLeft`), or an `Idempotency-Key` reused for another request (`idempotency_mismatch`)."),
        [423] = ("code_locked", "Too many wrong codes: the code is locked until `lockedUntil`."),
        [429] = ("rate_limited", "Too many requests; `Retry-After` says when to try again."),
        [503] = ("payment_unavailable", "The payment provider (or the database) did not answer; nothing changed. Try again."),
    };

    // MapIdentityApi maps all of these with one convention builder, so their summaries cannot sit beside a mapping.
    private static readonly Dictionary<string, (string OperationId, string Summary, int[] Refuses)> IdentityEndpoints = new()
    {
        ["POST api/auth/register"] = ("register", "Create an account", []),
        ["POST api/auth/login"] = ("login", "Sign in: a bearer token, or a session cookie with ?useCookies=true", [401]),
        ["GET api/auth/confirmEmail"] = ("confirmEmail", "Confirm an email address with the emailed link", [401]),
        ["POST api/auth/resendConfirmationEmail"] = ("resendConfirmationEmail", "Send the confirmation email again", []),
        ["POST api/auth/forgotPassword"] = ("forgotPassword", "Ask for a password reset code by email", []),
        ["POST api/auth/resetPassword"] = ("resetPassword", "Set a new password with the emailed reset code", []),
        ["POST api/auth/manage/2fa"] = ("manageTwoFactor", "Set up or change two-factor sign-in", []),
        ["GET api/auth/manage/info"] = ("getAccountInfo", "Read the account's email and whether it is confirmed", []),
        ["POST api/auth/manage/info"] = ("updateAccountInfo", "Change the account's email or password", []),
    };

    public static void Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var path = description.RelativePath ?? "";
        operation.Responses ??= [];
        if (IdentityEndpoints.TryGetValue($"{description.HttpMethod} {path}", out var identity))
        {
            operation.OperationId = identity.OperationId;
            operation.Summary = identity.Summary;
            Array.ForEach(identity.Refuses, status => AddRefusal(operation, status));
        }

        var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
        operation.Security = anonymous ? [] : [Requirement(ApiDocument.BearerScheme, context), Requirement(ApiDocument.CookieScheme, context)];

        if (!anonymous)
        {
            AddRefusal(operation, 401);
        }

        if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy == JobsApi.OperatorPolicy))
        {
            AddRefusal(operation, 403);
        }

        if (path.Contains("{id}", StringComparison.Ordinal))
        {
            AddRefusal(operation, 404);
        }

        if (description.ParameterDescriptions.Count > 0)
        {
            AddRefusal(operation, 400);
        }

        if (operation.RequestBody is not null)
        {
            AddRefusal(operation, 413);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            AddRefusal(operation, 429);
        }

        if (!anonymous && description.HttpMethod is "POST" or "PATCH")
        {
            DescribeIdempotencyKey(operation);
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (int.TryParse(status, out var code) && code >= 400)
            {
                DescribeRefusal(response, code, path);
            }
        }
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiOperationTransformerContext context) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] };

    private static void AddRefusal(OpenApiOperation operation, int status) =>
        operation.Responses!.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse());

    private static void DescribeIdempotencyKey(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyMiddleware.Header,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Any unique string per intended change: a retry with the same key gets the first answer and changes nothing twice.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
        });
        AddRefusal(operation, 422);
    }

    /// <summary>Gives a refusal its description, the problem schema where it has none, and an example.</summary>
    private static void DescribeRefusal(IOpenApiResponse answer, int status, string path)
    {
        if (answer is not OpenApiResponse response)
        {
            return;
        }

        var (code, text) = Refusals.TryGetValue(status, out var known) ? known : ("error", "Refused; `code` says why.");
        if (status == 409 && path.Contains("threads", StringComparison.Ordinal))
        {
            code = "thread_read_only";
        }

        response.Description = text;

        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        if (!response.Content.TryGetValue("application/problem+json", out var media))
        {
            media = new OpenApiMediaType();
            response.Content["application/problem+json"] = media;
        }

        // The framework's ProblemDetails schema forbids the extensions every Hustle refusal carries (code, traceId).
        media.Schema = new OpenApiSchemaReference(ApiDocument.ProblemSchema);
        media.Example ??= ApiDocument.ProblemExample(status, code, status == 404 ? $"No such {Resource(path)}." : text);
    }

    /// <summary>What the path's <c>{id}</c> names: <c>api/offers/{id}/accept</c> → offer.</summary>
    private static string Resource(string path) => path.Split('/') is [_, var collection, ..] ? collection.TrimEnd('s').Replace('-', ' ') : "resource";
}
