using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>
/// A browser that cannot hold a live connection still follows its jobs: by SignalR's own fallback transports when
/// only WebSockets are blocked, and by polling the feed when the whole hub is out of reach. The connection
/// indicator says which.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PollingFallbackTests(BrowserSite site, ITestOutputHelper output)
{
    [Fact]
    public async Task With_the_hub_blocked_the_hustler_follows_the_job_to_paid_by_polling_and_the_indicator_says_so()
    {
        await using var customer = await site.OpenAsync("Cora", output);
        await using var hustler = await site.OpenAsync("Hal", output, prepare: BlockHubAsync);
        await customer.SignUpAsync("pm_card_visa");
        await hustler.SignUpAsync(expectLive: false);
        await Expect(hustler.Connection).ToHaveAttributeAsync("data-state", "offline-polling");
        await Expect(hustler.Connection).ToHaveTextAsync("Offline – polling");
        await Expect(hustler.Connection).ToHaveAttributeAsync("title", $"No live connection: checking for changes every {BrowserSite.PollDisconnectedSeconds} s.");
        var feedPolls = 0;
        hustler.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/feed", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref feedPolls);
            }
        };

        const string title = "Paint a fence";
        await customer.PostFlatJobAsync(title, "80.00");
        await hustler.OpenFromBrowseAsync(title);
        await hustler.By("make-offer").ClickAsync();
        await Expect(hustler.By("my-offer")).ToContainTextAsync("You offered $80.00");

        // Every change below is the customer's; the hustler's page learns of it only by polling the feed.
        await customer.By("accept-offer").ClickAsync();
        var startCode = await customer.ReadCodeAsync("start-code");
        var completionCode = await customer.ReadCodeAsync("completion-code");
        await hustler.ExpectStatusAsync("SCHEDULED");
        await Expect(hustler.By("assigned-note")).ToBeVisibleAsync();

        await hustler.EnterCodeAsync("start", startCode);
        await customer.ExpectStatusAsync("IN_PROGRESS");
        await hustler.EnterCodeAsync("completion", completionCode);
        await customer.ExpectStatusAsync("AWAITING_CUSTOMER_CONFIRM");
        await Expect(hustler.By("payment-waiting")).ToBeVisibleAsync();

        await customer.By("confirm-pay").ClickAsync();
        await hustler.ExpectStatusAsync("PAID");
        await Expect(hustler.By("payment-paid")).ToContainTextAsync("Paid $80.00");

        await Expect(hustler.Connection).ToHaveAttributeAsync("data-state", "offline-polling");
        // SCHEDULED and PAID were the customer's doing: with no hub, each reached the hustler's page by a feed poll (the
        // codes the hustler entered answered with the job itself).
        Assert.True(feedPolls >= 2, $"expected the hustler's page to poll the feed, saw {feedPolls} feed requests");
        await hustler.ExpectNoReloadAsync();
    }

    [Fact]
    public async Task With_only_WebSockets_blocked_the_page_stays_live_over_another_transport()
    {
        await using var customer = await site.OpenAsync("Cleo", output, prepare: BlockWebSocketsAsync);
        await using var hustler = await site.OpenAsync("Huw", output);
        await customer.SignUpAsync("pm_card_visa");
        await hustler.SignUpAsync();
        await Expect(customer.Connection).ToHaveAttributeAsync("data-state", "live");
        var transport = await customer.Connection.GetAttributeAsync("data-transport");
        Assert.Contains(transport, new[] { "ServerSentEvents", "LongPolling" });

        const string title = "Hang three shelves";
        await customer.PostFlatJobAsync(title, "45.00");
        await hustler.OpenFromBrowseAsync(title);
        await hustler.By("make-offer").ClickAsync();

        // Pushed over the fallback transport: the connected poll (30 s) is longer than this wait.
        await customer.ExpectStatusAsync("REQUESTED");
        await Expect(customer.By("offer").GetByTestId("offer-amount")).ToHaveTextAsync("$45.00");
        await customer.ExpectNoReloadAsync();
    }

    /// <summary>No request reaches /hubs/sync: negotiation fails, so does every WebSocket to it.</summary>
    private static async Task BlockHubAsync(IBrowserContext context)
    {
        await context.RouteAsync("**/hubs/sync**", route => route.AbortAsync());
        await BlockWebSocketsAsync(context);
    }

    /// <summary>A WebSocket to the hub is closed before it ever reaches the server (a proxy that drops upgrades).</summary>
    private static async Task BlockWebSocketsAsync(IBrowserContext context) =>
        await context.RouteWebSocketAsync("**/hubs/sync**", ws => ws.CloseAsync(new() { Code = 1011, Reason = "blocked by the test" }));
}
