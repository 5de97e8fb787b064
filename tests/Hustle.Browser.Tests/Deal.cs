using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>The steps every scenario starts with, through the UI: a flat job posted, offered on, accepted.</summary>
internal static class Deal
{
    /// <summary>The customer posts, the hustler offers from Browse; both end on the job's page.</summary>
    public static async Task<string> OfferAsync(Person customer, Person hustler, string title, string amount)
    {
        var jobId = await customer.PostFlatJobAsync(title, amount);
        await hustler.OpenFromBrowseAsync(title);
        await hustler.By("make-offer").ClickAsync();
        await Expect(hustler.By("my-offer")).ToBeVisibleAsync();
        await Expect(customer.By("accept-offer")).ToBeVisibleAsync();
        return jobId;
    }

    /// <summary>As <see cref="OfferAsync"/>, then the customer accepts; returns the codes the customer sees.</summary>
    public static async Task<(string Start, string Completion)> ScheduleAsync(Person customer, Person hustler, string title, string amount)
    {
        await OfferAsync(customer, hustler, title, amount);
        await customer.By("accept-offer").ClickAsync();
        var start = await customer.ReadCodeAsync("start-code");
        var completion = await customer.ReadCodeAsync("completion-code");
        await hustler.ExpectStatusAsync("SCHEDULED");
        return (start, completion);
    }
}
