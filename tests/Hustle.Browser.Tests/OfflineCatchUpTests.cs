using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>
/// A page that was offline while the other side moved the job on catches up when the network returns: every change,
/// in order, none twice.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OfflineCatchUpTests(BrowserSite site, ITestOutputHelper output)
{
    [Fact]
    public async Task Customer_offline_while_the_hustler_starts_and_completes_sees_every_change_once_when_back_online()
    {
        await using var customer = await site.OpenAsync("Cat", output);
        await using var hustler = await site.OpenAsync("Hank", output);
        await customer.SignUpAsync("pm_card_visa");
        await hustler.SignUpAsync();
        const string title = "Move a sofa upstairs";
        var (startCode, completionCode) = await Deal.ScheduleAsync(customer, hustler, title, "60.00");
        await customer.RecordAppliedEventsAsync();

        await customer.Context.SetOfflineAsync(true);
        await Expect(customer.Connection).ToHaveAttributeAsync("data-state", "offline-polling");

        // While the customer is offline the hustler starts the job and completes it (a flat job then asks for
        // payment by itself): three transitions, three feed events for the customer.
        await hustler.EnterCodeAsync("start", startCode);
        await hustler.ExpectStatusAsync("IN_PROGRESS");
        await hustler.EnterCodeAsync("completion", completionCode);
        await hustler.ExpectStatusAsync("AWAITING_CUSTOMER_CONFIRM");
        await Expect(hustler.By("payment-waiting")).ToBeVisibleAsync();
        await customer.ExpectStatusAsync("SCHEDULED"); // nothing got through
        Assert.Empty(await customer.AppliedEventsAsync());

        await customer.Context.SetOfflineAsync(false);
        await customer.ExpectStatusAsync("AWAITING_CUSTOMER_CONFIRM");
        // Each change told once (toasts last 5 s: look at them first).
        await Expect(customer.Toasts("Job started")).ToHaveCountAsync(1);
        await Expect(customer.Toasts("Job completed")).ToHaveCountAsync(1);
        await Expect(customer.Toasts("Payment requested")).ToHaveCountAsync(1);
        await Expect(customer.By("start-code-used")).ToHaveCountAsync(0); // past that stage entirely
        await Expect(customer.By("amount-due")).ToHaveTextAsync("$60.00");
        await Expect(customer.By("confirm-pay")).ToBeEnabledAsync();
        await Expect(customer.Connection).ToHaveAttributeAsync("data-state", "live");

        // Each change was applied exactly once, in feed order, with no gap.
        var applied = await customer.AppliedEventsAsync();
        Assert.Equal(["JOB_STARTED", "JOB_COMPLETED", "PAYMENT_REQUESTED"], applied.Select(e => e.Type));
        Assert.Equal(applied.Select(e => e.Seq).Order(), applied.Select(e => e.Seq));
        Assert.Equal(applied.Count, applied.Select(e => e.Seq).Distinct().Count());
        Assert.Equal(applied[0].Seq + applied.Count - 1, applied[^1].Seq);

        // The timeline has each step once.
        await customer.By("history-panel").Locator("summary").ClickAsync();
        var entries = customer.By("history-entry");
        await Expect(entries.Last).ToHaveAttributeAsync("data-action", "REQUEST_PAYMENT");
        var actions = await entries.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.action)");
        Assert.Equal(["POST", "MAKE_OFFER", "ACCEPT_OFFER", "VERIFY_START_CODE", "VERIFY_COMPLETION_CODE", "REQUEST_PAYMENT"], actions);

        // A later poll or reconnect brings nothing again.
        await customer.By("confirm-pay").ClickAsync();
        await customer.ExpectStatusAsync("PAID");
        await hustler.ExpectStatusAsync("PAID");
        applied = await customer.AppliedEventsAsync();
        Assert.Equal(["JOB_STARTED", "JOB_COMPLETED", "PAYMENT_REQUESTED", "PAYMENT_CAPTURED"], applied.Select(e => e.Type));
        await customer.ExpectNoReloadAsync();
    }
}
