using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>The conversation an offer opens, seen from both sides: typing, messages, unread badges, read receipts.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MessagingTests(BrowserSite site, ITestOutputHelper output)
{
    [Fact]
    public async Task Typing_a_message_the_unread_badge_and_the_read_receipt_reach_the_other_side()
    {
        await using var customer = await site.OpenAsync("Cass", output);
        await using var hustler = await site.OpenAsync("Hattie", output);
        await customer.SignUpAsync("pm_card_visa");
        await hustler.SignUpAsync();
        const string title = "Fix a dripping tap";
        await Deal.OfferAsync(customer, hustler, title, "50.00");

        // Both are on the job page with the conversation the offer opened; an offer alone shares no presence.
        var customerThread = customer.By("thread");
        var hustlerThread = hustler.By("thread");
        await Expect(customerThread.GetByTestId("thread-counterpart")).ToHaveTextAsync("Hattie");
        await Expect(hustlerThread.GetByTestId("thread-counterpart")).ToHaveTextAsync("Cass");
        await Expect(customerThread.GetByTestId("presence-dot")).ToHaveAttributeAsync("data-online", "false");

        // Typing shows on the other side, and the message replaces it.
        await hustler.By("message-input").PressSequentiallyAsync("Can I come at 9");
        await Expect(customer.By("typing-indicator")).ToHaveTextAsync("Hattie is typing…");
        await hustler.By("message-input").PressSequentiallyAsync("?");
        await hustler.By("send-message").ClickAsync();
        await Expect(customerThread.GetByTestId("message-body")).ToHaveTextAsync(["Can I come at 9?"]);
        await Expect(customer.By("typing-indicator")).ToBeHiddenAsync();

        // The customer had the conversation open, so it was read: the hustler's receipt says so.
        var hustlerReceipt = hustler.By("read-receipt");
        await Expect(hustlerReceipt).ToHaveAttributeAsync("data-read", "true");
        await Expect(hustlerReceipt).ToHaveTextAsync("· Seen");

        // Away from the conversation, a new message is an unread badge, and stays "Sent" for the hustler.
        await customer.By("nav-my-jobs").ClickAsync();
        await hustler.By("message-input").FillAsync("I'll bring a new washer.");
        await hustler.By("send-message").ClickAsync();
        await Expect(hustler.By("message-body").Last).ToHaveTextAsync("I'll bring a new washer.");
        await Expect(customer.By("nav-unread-badge")).ToHaveTextAsync("1");
        var card = customer.By("job-card").Filter(new() { HasText = title });
        await Expect(card.GetByTestId("unread-badge")).ToHaveTextAsync("1");
        await Expect(customer.Toasts("New message from Hattie")).ToBeVisibleAsync();
        await Expect(hustlerReceipt).ToHaveAttributeAsync("data-read", "false");
        await Expect(hustlerReceipt).ToHaveTextAsync("· Sent");

        // Opening it reads it: the badge goes, the hustler sees "Seen".
        await card.GetByTestId("job-link").ClickAsync();
        await Expect(customerThread.GetByTestId("message-body")).ToHaveTextAsync(["Can I come at 9?", "I'll bring a new washer."]);
        await Expect(customer.By("nav-unread-badge")).ToBeHiddenAsync();
        await Expect(hustlerReceipt).ToHaveAttributeAsync("data-read", "true");
        await Expect(hustlerReceipt).ToHaveTextAsync("· Seen");

        // And back the other way.
        await customer.By("message-input").FillAsync("9 is fine, thanks.");
        await customer.By("message-input").PressAsync("Enter");
        await Expect(hustlerThread.GetByTestId("message-body").Last).ToHaveTextAsync("9 is fine, thanks.");

        // Both have written now: each sees the other online.
        await Expect(customerThread.GetByTestId("presence-dot")).ToHaveAttributeAsync("data-online", "true");
        await Expect(hustlerThread.GetByTestId("presence-dot")).ToHaveAttributeAsync("data-online", "true");
        await Expect(customer.By("read-receipt")).ToHaveTextAsync("· Seen");
        await Expect(hustler.By("nav-unread-badge")).ToBeHiddenAsync();

        await customer.ExpectNoReloadAsync();
        await hustler.ExpectNoReloadAsync();
    }
}
