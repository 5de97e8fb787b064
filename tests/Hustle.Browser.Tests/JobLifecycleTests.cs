using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>
/// A customer and a hustler, each in their own browser context, take a job from posting to PAID through the real
/// UI. After every step the test looks at the OTHER person's page, which nobody reloads: the change has to arrive
/// by itself (pushed over SignalR; the connected poll is set longer than any wait here, so it cannot be the poll).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JobLifecycleTests(BrowserSite site, ITestOutputHelper output)
{
    [Fact]
    public async Task Flat_job_from_post_to_paid_shows_every_step_live_on_the_other_side()
    {
        await using var customer = await site.OpenAsync("Carla", output);
        await using var hustler = await site.OpenAsync("Hugo", output);
        await customer.SignUpAsync("pm_card_visa");
        await hustler.SignUpAsync();

        const string title = "Assemble a wardrobe";
        await customer.PostFlatJobAsync(title, "120.00");
        await Expect(customer.By("waiting-for-offers")).ToBeVisibleAsync();

        // The hustler offers a lower price; the customer's page shows the offer as it arrives.
        await hustler.OpenFromBrowseAsync(title);
        await Expect(hustler.By("job-location-text")).ToHaveCountAsync(0); // no address before being hired
        await hustler.By("offer-amount").FillAsync("110.00");
        await hustler.By("make-offer").ClickAsync();
        await Expect(hustler.By("my-offer")).ToContainTextAsync("You offered $110.00");

        await customer.ExpectStatusAsync("REQUESTED");
        var offer = customer.By("offer");
        await Expect(offer.GetByTestId("offer-amount")).ToHaveTextAsync("$110.00");
        await Expect(offer.GetByTestId("offer-hustler")).ToHaveTextAsync("Hugo");

        // Accepted: the customer holds both codes; the hustler sees the job scheduled, with the address, and no code.
        await customer.By("accept-offer").ClickAsync();
        await customer.ExpectStatusAsync("SCHEDULED");
        var startCode = await customer.ReadCodeAsync("start-code");
        var completionCode = await customer.ReadCodeAsync("completion-code");

        await hustler.ExpectStatusAsync("SCHEDULED");
        await Expect(hustler.By("assigned-note")).ToBeVisibleAsync();
        await Expect(hustler.By("job-location-text")).ToHaveTextAsync("12 Mare Street");
        await Expect(hustler.By("start-code")).ToHaveCountAsync(0);
        await Expect(hustler.By("completion-code")).ToHaveCountAsync(0);
        await Expect(hustler.Toasts("was accepted")).ToBeVisibleAsync();

        // Start code: IN_PROGRESS on both sides.
        await hustler.EnterCodeAsync("start", startCode);
        await hustler.ExpectStatusAsync("IN_PROGRESS");
        await customer.ExpectStatusAsync("IN_PROGRESS");
        await Expect(customer.By("start-code-used")).ToBeVisibleAsync();
        await Expect(customer.By("start-code")).ToHaveCountAsync(0);
        await Expect(customer.Toasts("Job started")).ToBeVisibleAsync();

        // Completion code: a flat job asks for payment at once.
        await hustler.EnterCodeAsync("completion", completionCode);
        await hustler.ExpectStatusAsync("AWAITING_CUSTOMER_CONFIRM");
        await Expect(hustler.By("payment-waiting")).ToContainTextAsync("Waiting for payment: $110.00");
        await customer.ExpectStatusAsync("AWAITING_CUSTOMER_CONFIRM");
        await Expect(customer.By("amount-due")).ToHaveTextAsync("$110.00");
        await Expect(customer.By("confirm-pay")).ToHaveTextAsync("Confirm & pay $110.00");

        // Confirm and pay: the hustler sees "paid".
        await customer.By("confirm-pay").ClickAsync();
        await customer.ExpectStatusAsync("PAID");
        await Expect(customer.By("payment-paid")).ToContainTextAsync("Paid $110.00");
        await hustler.ExpectStatusAsync("PAID");
        await Expect(hustler.By("payment-paid")).ToContainTextAsync("Paid $110.00");
        await Expect(hustler.Toasts("you were paid $110.00")).ToBeVisibleAsync();

        await customer.ExpectNoReloadAsync();
        await hustler.ExpectNoReloadAsync();
    }

    [Fact]
    public async Task Hourly_job_from_post_to_paid_runs_a_timer_on_both_sides_and_bills_the_minutes_the_hustler_asks()
    {
        await using var customer = await site.OpenAsync("Chloe", output);
        await using var hustler = await site.OpenAsync("Hana", output);
        await customer.SignUpAsync("pm_card_visa");
        await hustler.SignUpAsync();

        const string title = "Garden tidy-up";
        await customer.PostHourlyJobAsync(title, "30.00", "2");

        await hustler.OpenFromBrowseAsync(title);
        await Expect(hustler.By("job-price")).ToHaveTextAsync("$30.00/h · est. 2 h");
        await hustler.By("make-offer").ClickAsync();
        await Expect(hustler.By("my-offer")).ToContainTextAsync("You offered $30.00/h");

        await customer.ExpectStatusAsync("REQUESTED");
        await Expect(customer.By("offer").GetByTestId("offer-amount")).ToHaveTextAsync("$30.00/h");
        await customer.By("accept-offer").ClickAsync();
        var startCode = await customer.ReadCodeAsync("start-code");
        var completionCode = await customer.ReadCodeAsync("completion-code");
        await hustler.ExpectStatusAsync("SCHEDULED");

        // Started: both pages run the timer, and it ticks.
        await hustler.EnterCodeAsync("start", startCode);
        await hustler.ExpectStatusAsync("IN_PROGRESS");
        await customer.ExpectStatusAsync("IN_PROGRESS");
        foreach (var side in new[] { customer, hustler })
        {
            var timer = side.By("job-timer");
            await Expect(timer).ToHaveTextAsync(new Regex(@"^00:0\d:\d\d$"));
            var shown = await timer.TextContentAsync();
            await Expect(timer).Not.ToHaveTextAsync(shown!);
            await Expect(side.By("timer-estimate")).ToContainTextAsync("15 min billable, $7.50");
        }

        // Completed: the clock bills one 15-minute step; the hustler lowers it to 10 minutes.
        await hustler.EnterCodeAsync("completion", completionCode);
        await hustler.ExpectStatusAsync("COMPLETED_BY_HUSTLER");
        await customer.ExpectStatusAsync("COMPLETED_BY_HUSTLER");
        await Expect(customer.Toasts("Job completed")).ToBeVisibleAsync();
        await Expect(customer.By("completed-note")).ToHaveTextAsync("The hustler marked the job done.");
        var minutes = hustler.By("billable-minutes");
        await Expect(minutes).ToHaveValueAsync("15");
        await minutes.FillAsync("10");
        await Expect(hustler.By("billable-preview")).ToHaveTextAsync("You will bill 10 min: $5.00.");
        await hustler.By("request-payment").ClickAsync();

        await hustler.ExpectStatusAsync("AWAITING_CUSTOMER_CONFIRM");
        await Expect(hustler.By("payment-waiting")).ToContainTextAsync("Waiting for payment: $5.00");
        await customer.ExpectStatusAsync("AWAITING_CUSTOMER_CONFIRM");
        await Expect(customer.By("completed-note")).ToHaveTextAsync("The hustler marked the job done and asked to be paid.");
        await Expect(customer.By("amount-due")).ToHaveTextAsync("$5.00");

        await customer.By("confirm-pay").ClickAsync();
        await customer.ExpectStatusAsync("PAID");
        await hustler.ExpectStatusAsync("PAID");
        await Expect(hustler.By("payment-paid")).ToContainTextAsync("Paid $5.00");
        await Expect(hustler.By("final-amount")).ToHaveTextAsync("$5.00");
        await Expect(hustler.By("billed-minutes")).ToHaveTextAsync("10 min");

        await customer.ExpectNoReloadAsync();
        await hustler.ExpectNoReloadAsync();
    }
}
