namespace Hustle.Web.Tests.Messaging;

/// <summary>Hustle with a message limit of 3 per minute per user.</summary>
public sealed class LowMessageLimitApp : TestApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Hustle:RateLimits:MessagesPerMinute"] = "3",
    };
}

public sealed class PostMessageRateLimitTests(LowMessageLimitApp app) : IClassFixture<LowMessageLimitApp>
{
    [Fact]
    public async Task Posting_past_the_per_user_limit_is_refused_with_rate_limited_and_stores_nothing()
    {
        var customer = await app.CreateUserAsync("customer");
        var hustler = await app.CreateUserAsync("hustler");
        var (_, threadId) = await Chat.ThreadAsync(customer, hustler);
        for (var i = 0; i < 3; i++)
        {
            await hustler.SendAsync(threadId, $"ping {i}");
        }

        var refused = await hustler.PostAsync($"/api/threads/{threadId}/messages", new { body = "one too many" });

        await refused.Problem(429, "rate_limited");
        Assert.True(refused.Headers.RetryAfter is not null);
        Assert.Equal(3, (await customer.MessagesAsync(threadId)).GetArrayLength());

        // The limit is per user: the other member still gets through.
        await customer.SendAsync(threadId, "I'm here");
    }
}
