using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>
/// Pictures of the main screens, for people to look at (artifacts/screenshots/, listed in the README), taken on a
/// real job: the customer's and the hustler's job page on a desktop, and both on a 375-px-wide phone, where nothing
/// may be wider than the screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(BrowserSite site, ITestOutputHelper output)
{
    [Fact]
    public async Task Main_screens_on_desktop_and_on_a_375_px_phone()
    {
        await using var customer = await site.OpenAsync("Clara", output);
        await using var hustler = await site.OpenAsync("Harvey", output);
        await customer.SignUpAsync("pm_card_visa");
        await hustler.SignUpAsync();

        const string title = "Clear out the garage";
        await customer.PostHourlyJobAsync(title, "28.00", "3");
        await hustler.OpenFromBrowseAsync(title);
        await hustler.By("offer-message-input").FillAsync("I have a van and can take everything to the tip.");
        await hustler.By("make-offer").ClickAsync();
        await Expect(customer.By("offer-message")).ToBeVisibleAsync();
        await customer.ScreenshotAsync("customer-job-offer-desktop.png");

        await customer.By("accept-offer").ClickAsync();
        var startCode = await customer.ReadCodeAsync("start-code");
        await hustler.ExpectStatusAsync("SCHEDULED");
        await hustler.By("message-input").FillAsync("On my way, there in 10 minutes.");
        await hustler.By("send-message").ClickAsync();
        await Expect(customer.By("message-body")).ToHaveTextAsync(["On my way, there in 10 minutes."]);
        await Expect(hustler.By("read-receipt")).ToHaveTextAsync("· Seen");
        await customer.ScreenshotAsync("customer-job-scheduled-desktop.png");

        await hustler.EnterCodeAsync("start", startCode);
        await customer.ExpectStatusAsync("IN_PROGRESS");
        await Expect(hustler.By("job-timer")).ToBeVisibleAsync();
        await hustler.ScreenshotAsync("hustler-job-in-progress-desktop.png");

        // The same two people on their phones: sign in, open the job, see it as it is now.
        foreach (var (person, file) in new[] { (customer, "customer-job-in-progress-phone.png"), (hustler, "hustler-job-in-progress-phone.png") })
        {
            await using var phone = await site.OpenAsync(person.Name, output, width: 375, height: 812);
            await phone.SignInAsync(person.Email);
            await phone.OpenFromMyJobsAsync(title);
            await phone.ExpectStatusAsync("IN_PROGRESS");
            await Expect(phone.By("job-timer")).ToBeVisibleAsync();
            var overflow = await phone.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{file}: the page is {overflow} px wider than a 375-px screen");
            await phone.ScreenshotAsync(file);
        }
    }
}
