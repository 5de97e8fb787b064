using System.Net.Http.Json;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>
/// A request record checked by .NET's built-in validation (DataAnnotations on <c>CodeRequest</c>) is refused before
/// its handler runs, with the same problem RequestRules gives: 400 <c>validation_failed</c>, <c>errors</c> by field.
/// </summary>
public sealed class BuiltInValidationTests(TestApp app) : IClassFixture<TestApp>
{
    [Theory]
    [InlineData("""{"code": "12ab56"}""")]
    [InlineData("""{"code": "1234567"}""")]
    [InlineData("""{"code": null}""")]
    [InlineData("{}")]
    public async Task A_malformed_code_is_refused_by_the_built_in_validation_before_it_costs_a_try(string body)
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (jobId, _) = await Api.ScheduledFlatJobAsync(customer, hustler);
        var before = await customer.GetJobAsync(jobId);

        var problem = await (await hustler.SendRawAsync(HttpMethod.Post, $"/api/jobs/{jobId}/start", body)).Problem(400, "validation_failed");

        Assert.Equal("The request is not valid.", problem.Str("title"));
        Assert.Equal(["code must be the 6 digits the customer was given."], problem.GetProperty("errors").GetProperty("code").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("code must be the 6 digits", problem.Str("detail"));
        Assert.Equal(before.ToString(), (await customer.GetJobAsync(jobId)).ToString());
        var wrong = await hustler.Client.PostAsJsonAsync($"/api/jobs/{jobId}/start", new { code = before.Str("startCode") == "000000" ? "111111" : "000000" });
        Assert.Equal(4, (await wrong.Problem(422, "code_invalid")).GetProperty("triesLeft").GetInt32());
    }
}
