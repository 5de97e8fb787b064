using System.Net.Http.Json;

namespace Hustle.Web.Tests.Jobs;

public class JobHistoryTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task History_lists_every_change_with_its_actor_action_states_reason_and_request()
    {
        var customer = await app.CreateUserAsync("customer");
        var declined = await app.CreateUserAsync("hustler");
        var hustler = await app.CreateUserAsync("hustler");
        var jobId = await Traced(customer, "11111111111111111111111111111111", c => c.PostAsJsonAsync("/api/jobs", new
        {
            title = "Paint the fence", area = "Richmond", location = "7 Clement St", pricingType = "FLAT", amount = 9000, currency = "EUR",
        }), "id");
        var declinedOffer = await Traced(declined, "22222222222222222222222222222222", c => c.PostAsJsonAsync($"/api/jobs/{jobId}/offers", new { message = "Me" }), "id");
        await Traced(customer, "33333333333333333333333333333333", c => c.PostAsJsonAsync($"/api/offers/{declinedOffer}/decline", new { reason = "No reviews yet" }), "id");
        var offer = await Traced(hustler, "44444444444444444444444444444444", c => c.PostAsJsonAsync($"/api/jobs/{jobId}/offers", new { proposedAmount = 8500 }), "id");
        await Traced(customer, "55555555555555555555555555555555", c => c.PostAsync($"/api/offers/{offer}/accept", null), "id");
        await Traced(customer, "66666666666666666666666666666666", c => c.PatchAsJsonAsync($"/api/jobs/{jobId}", new { title = "Paint the fence white" }), "id");

        var history = await customer.HistoryAsync(jobId);

        Assert.Equal(
            [
                (customer.Id, "POST", "OPEN", "OPEN", null, "11111111111111111111111111111111"),
                (declined.Id, "MAKE_OFFER", "OPEN", "REQUESTED", null, "22222222222222222222222222222222"),
                (customer.Id, "DECLINE_OFFER", "REQUESTED", "OPEN", "No reviews yet", "33333333333333333333333333333333"),
                (hustler.Id, "MAKE_OFFER", "OPEN", "REQUESTED", null, "44444444444444444444444444444444"),
                (customer.Id, "ACCEPT_OFFER", "REQUESTED", "SCHEDULED", null, "55555555555555555555555555555555"),
                (customer.Id, "EDIT", "SCHEDULED", "SCHEDULED", null, "66666666666666666666666666666666"),
            ],
            history.Select(h => (h.Str("actor"), h.Str("action"), h.Str("from"), h.Str("to"), h.GetProperty("reason").GetString(), h.Str("requestId"))));
        Assert.All(history, h => Assert.Equal(app.Clock.GetUtcNow(), h.GetProperty("at").GetDateTimeOffset()));

        // The assigned hustler reads the same history; the hustler whose offer was declined does not.
        Assert.Equal(history.Select(h => h.GetRawText()), (await hustler.HistoryAsync(jobId)).Select(h => h.GetRawText()));
        await (await declined.Client.GetAsync($"/api/jobs/{jobId}/history")).Problem(404, "not_found");
    }

    [Fact]
    public async Task The_system_is_the_actor_of_an_expiry()
    {
        var customer = await app.CreateUserAsync("customer");
        var job = await customer.PostFlatJobAsync();
        app.Clock.SetUtcNow(job.GetProperty("expiresAt").GetDateTimeOffset());

        await app.Sweeper.ExpireJobsAsync(CancellationToken.None);

        var last = (await customer.HistoryAsync(job.Str("id")))[^1];
        Assert.Equal(("system", "EXPIRE", "OPEN", "EXPIRED"), (last.Str("actor"), last.Str("action"), last.Str("from"), last.Str("to")));
    }

    /// <summary>Sends a request with a W3C <c>traceparent</c> whose trace id is <paramref name="traceId"/>, and returns <paramref name="property"/> of the answer.</summary>
    private static async Task<string> Traced(TestUser user, string traceId, Func<HttpClient, Task<HttpResponseMessage>> send, string property)
    {
        user.Client.DefaultRequestHeaders.Remove("traceparent");
        user.Client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-0000000000000001-01");
        try
        {
            var response = await send(user.Client);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Json(response.StatusCode)).Str(property);
        }
        finally
        {
            user.Client.DefaultRequestHeaders.Remove("traceparent");
        }
    }
}
