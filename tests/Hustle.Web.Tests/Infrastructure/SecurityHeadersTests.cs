using System.Net;
using Hustle.Web.Tests.Payments.Stripe;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hustle.Web.Tests.Infrastructure;

public sealed class SecurityHeadersTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task The_page_an_API_answer_and_a_problem_all_carry_the_policy_nosniff_and_a_referrer_policy()
    {
        var user = await app.CreateUserAsync("headers");
        var page = await app.CreateClient().GetAsync("/");
        var answer = await user.Client.GetAsync("/api/me");
        var problem = await user.Client.GetAsync("/api/jobs/job_unknown");
        var unauthenticated = await app.CreateClient().GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        await answer.Json();
        await problem.Problem(404, "not_found");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        foreach (var response in new[] { page, answer, problem, unauthenticated })
        {
            var csp = Header(response, "Content-Security-Policy");
            Assert.Contains("default-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains("connect-src 'self';", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.DoesNotContain("stripe", csp);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP");
        }
    }

    [Fact]
    public async Task HSTS_is_sent_over_HTTPS_only_and_never_to_localhost()
    {
        var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://hustle.example/") });
        var httpsLocal = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost/") });
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://hustle.example/") });

        var secure = await https.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.StartsWith("max-age=", Header(secure, "Strict-Transport-Security"));
        Assert.True((await https.GetAsync("/api/jobs/job_unknown")).Headers.Contains("Strict-Transport-Security"));
        Assert.False((await httpsLocal.GetAsync("/")).Headers.Contains("Strict-Transport-Security"));
        Assert.False((await http.GetAsync("/")).Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_API_docs_page_alone_may_run_its_inline_start_script()
    {
        var docs = await app.CreateClient().GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        var csp = Header(docs, "Content-Security-Policy");
        Assert.Contains("script-src 'self' 'unsafe-inline'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        var html = await docs.Content.ReadAsStringAsync();
        Assert.DoesNotContain("cdn.jsdelivr.net", html);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"{name} missing on {(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
}

public sealed class StripeSecurityHeadersTests : IClassFixture<FakeStripe>, IDisposable
{
    private readonly StripeTestApp _app;

    public StripeSecurityHeadersTests(FakeStripe stripe) => _app = new StripeTestApp(stripe);

    [Fact]
    public async Task A_node_on_Stripe_allows_Stripes_script_frame_and_API_and_nothing_else_from_outside()
    {
        var page = await _app.CreateClient().GetAsync("/");

        var csp = string.Join(",", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' https://js.stripe.com", csp);
        Assert.Contains("connect-src 'self' https://api.stripe.com", csp);
        Assert.Contains("frame-src https://js.stripe.com", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
    }

    public void Dispose() => _app.Dispose();
}
