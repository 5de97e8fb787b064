using System.Text.Json.Nodes;
using Hustle.Web.Tests.Payments.Stripe;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>
/// The rules a lint of <c>/openapi/v1.json</c> with Redocly's recommended set enforces, and what clients need on top:
/// every operation has a summary, an operationId, tags, a security requirement (or an explicit empty one), and the
/// problem answers it can give, with an example; servers have no trailing slash.
/// </summary>
public sealed class OpenApiDocumentTests(TestApp app) : IClassFixture<TestApp>
{
    // A GET that takes nothing and needs no sign-in has no refusal to document.
    private static readonly HashSet<string> CannotBeRefused = ["getClientConfig"];

    [Fact]
    public async Task Every_operation_is_summarised_secured_and_documents_its_refusals()
    {
        var document = await LoadAsync(app);

        Assert.Empty(Violations(document));
        Assert.True(Operations(document).Count() >= 40, "the document lists the API");
    }

    [Fact]
    public async Task With_Stripe_configured_its_endpoints_follow_the_same_rules()
    {
        using var fake = new FakeStripe();
        await using var stripe = new StripeTestApp(fake);
        var document = await LoadAsync(stripe);

        Assert.Contains(Operations(document), o => o.Path == "/api/payments/stripe/webhook");
        Assert.Empty(Violations(document));
    }

    [Fact]
    public async Task An_operation_mapped_without_a_summary_or_refusals_is_reported_by_name()
    {
        var document = await LoadAsync(app);
        var confirm = document["paths"]!["/api/jobs/{id}/confirm"]!["post"]!.AsObject();
        confirm.Remove("summary");
        confirm["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });
        confirm["responses"]!.AsObject().Remove("401");
        confirm["responses"]!.AsObject().Remove("404");

        var violations = Violations(document);

        Assert.Contains("POST /api/jobs/{id}/confirm: no summary", violations);
        Assert.Contains("POST /api/jobs/{id}/confirm: signed-in only but 401 not documented", violations);
        Assert.Contains("POST /api/jobs/{id}/confirm: takes an id but 404 (not a participant) not documented", violations);
    }

    [Fact]
    public async Task Anonymous_operations_say_so_and_the_rest_take_a_bearer_token_or_the_cookie()
    {
        var document = await LoadAsync(app);
        var schemes = document["components"]!["securitySchemes"]!;

        Assert.Equal("bearer", (string?)schemes["bearer"]!["scheme"]);
        Assert.Equal("cookie", (string?)schemes["cookie"]!["in"]);
        Assert.All(document["servers"]!.AsArray(), s => Assert.False(((string)s!["url"]!).EndsWith('/'), $"{s["url"]} ends with a slash"));
        var security = Operations(document).ToDictionary(o => $"{o.Method} {o.Path}", o => o.Operation["security"]!.AsArray());
        Assert.Empty(security["POST /api/auth/login"]);
        Assert.Empty(security["POST /api/auth/register"]);
        Assert.Equal(["bearer", "cookie"], security["POST /api/jobs"].Select(r => r!.AsObject().Single().Key));
    }

    [Fact]
    public async Task A_problem_answer_example_has_the_shape_the_API_really_sends()
    {
        var user = await app.CreateUserAsync("openapi");
        var document = await LoadAsync(app);
        var documented = document["paths"]!["/api/jobs/{id}"]!["get"]!["responses"]!["404"]!["content"]!["application/problem+json"]!["example"]!;

        var real = await (await user.Client.GetAsync("/api/jobs/job_unknown")).Problem(404, "not_found");

        Assert.Equal(real.GetProperty("code").GetString(), (string?)documented["code"]);
        Assert.Equal(real.GetProperty("status").GetInt32(), (int?)documented["status"]);
        Assert.Equal(real.GetProperty("type").GetString(), (string?)documented["type"]);
        Assert.Equal(real.GetProperty("detail").GetString(), (string?)documented["detail"]);
    }

    private static async Task<JsonObject> LoadAsync(TestApp host)
    {
        var response = await host.CreateClient().GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        select (operation.Key.ToUpperInvariant(), path.Key, operation.Value!.AsObject());

    private static List<string> Violations(JsonObject document)
    {
        var violations = new List<string>();
        var operationIds = new HashSet<string>();
        foreach (var (method, path, operation) in Operations(document))
        {
            var name = $"{method} {path}";
            var responses = operation["responses"]?.AsObject() ?? [];
            var refusals = responses.Where(r => r.Key.StartsWith('4')).ToList();
            var id = (string?)operation["operationId"];
            var security = operation["security"] as JsonArray;
            void Check(bool ok, string what)
            {
                if (!ok)
                {
                    violations.Add($"{name}: {what}");
                }
            }

            Check(!string.IsNullOrWhiteSpace((string?)operation["summary"]), "no summary");
            Check(!string.IsNullOrWhiteSpace(id) && operationIds.Add(id), "no operationId, or one used twice");
            Check(operation["tags"] is JsonArray { Count: > 0 }, "no tags");
            Check(security is not null, "no security requirement (an anonymous one says security: [])");
            Check(security is not { Count: > 0 } || responses.ContainsKey("401"), "signed-in only but 401 not documented");
            Check(!path.Contains("{id}", StringComparison.Ordinal) || responses.ContainsKey("404"), "takes an id but 404 (not a participant) not documented");
            Check(refusals.Count > 0 || CannotBeRefused.Contains(id ?? ""), "no 4xx answer");
            foreach (var (status, answer) in refusals)
            {
                var problem = answer?["content"]?["application/problem+json"];
                Check(problem?["example"]?["code"] is not null, $"{status} is not application/problem+json with an example");
            }
        }

        return violations;
    }
}
