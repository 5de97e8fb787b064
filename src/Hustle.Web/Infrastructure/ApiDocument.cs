using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hustle.Web.Infrastructure;

/// <summary>
/// <c>/openapi/v1.json</c> as clients and linters need it: who may call each operation (bearer token or cookie, or
/// explicitly anyone), the problem answers it can give with an example each, and tags and servers described.
/// The summaries themselves stay beside each mapping, so that an endpoint mapped without one is caught by the tests.
/// </summary>
public static class ApiDocument
{
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    public const string ProblemSchema = "Problem";

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Accounts"] = "Registration, sign-in (bearer token or cookie), sessions and the caller's own profile.",
        ["Jobs"] = "Posting, browsing and editing jobs, and every step of a job's life: offers, codes, payment, disputes.",
        ["Offers"] = "Answering an offer: the customer accepts or declines it, its hustler withdraws it.",
        ["Price proposals"] = "Changing the price of a scheduled job before work starts: one party proposes, the other answers.",
        ["Messaging"] = "A thread per job and hustler: messages, unread counts and read receipts.",
        ["Sync"] = "The per-user feed of events, gap-free and in order: the truth behind the hub's pushes.",
        ["Operations"] = "Client settings, and what operators use: open disputes and a node's metrics.",
        ["Payments"] = "The payment provider's own endpoints (Stripe: saving a card, webhooks).",
    };

    /// <summary>Registers the transformers; passed to <c>AddOpenApi</c>.</summary>
    public static void Describe(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            DescribeDocument(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            ApiOperationRules.Apply(operation, context);
            return Task.CompletedTask;
        });
    }

    /// <summary>A problem answer of <paramref name="status"/>, or its example: the shape every refusal has.</summary>
    public static JsonObject ProblemExample(int status, string code, string detail) => new()
    {
        ["type"] = ProblemExceptionHandler.TypeFor(status)
            ?? (status < 500 ? $"https://tools.ietf.org/html/rfc9110#section-15.5.{status - 399}" : $"https://tools.ietf.org/html/rfc9110#section-15.6.{status - 499}"),
        ["title"] = code.Replace('_', ' '),
        ["status"] = status,
        ["detail"] = detail,
        ["code"] = code,
        ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    };

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info.Title = "Hustle API";
        document.Info.Description = "The HTTP contract of Hustle, a local-jobs marketplace. The design, the hub and the feed are "
            + "described in docs/ARCHITECTURE.md of the repository. Every refusal is application/problem+json with a stable `code`.";

        // The generator names the server after the request with a trailing slash; relative paths start with one already.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The `accessToken` of `POST /api/auth/login` (other clients; the hub takes it as `access_token`).",
        };
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = ".AspNetCore.Identity.Application",
            Description = "The browser's session cookie, set by `POST /api/auth/login?useCookies=true`.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = ProblemDetailsSchema();
        // Every problem answer now points at Problem (see ApiOperationRules); the framework's own shapes would dangle.
        document.Components.Schemas.Remove("ProblemDetails");
        document.Components.Schemas.Remove("HttpValidationProblemDetails");

        document.Tags = new HashSet<OpenApiTag>(
            TagDescriptions.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
    }

    private static OpenApiSchema ProblemDetailsSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details with Hustle's stable `code` (see docs/ARCHITECTURE.md, error codes).",
        Required = new HashSet<string> { "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable and machine-readable, e.g. `invalid_transition`." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["triesLeft"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "On `code_invalid`: wrong tries left before the code locks." },
            ["lockedUntil"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "On `code_locked`: when the code can be tried again." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "On `validation_failed`: the messages per field.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };
}
