using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>
/// The page offers only what the server allows. At each step of a job's life, for each person looking at it, every
/// enabled control on the job page is checked against <c>allowedActions</c> fetched from the API with that person's
/// own session: a control for an action the server would refuse must not be there, and the expected ones must be.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OfferedActionsTests(BrowserSite site, ITestOutputHelper output)
{
    /// <summary>The action each control on the job page asks for; any other control with a testid fails the test.</summary>
    private static readonly Dictionary<string, string> ActionOfControl = new()
    {
        ["make-offer"] = "MAKE_OFFER",
        ["withdraw-offer"] = "WITHDRAW_OFFER",
        ["accept-offer"] = "ACCEPT_OFFER",
        ["decline-offer"] = "DECLINE_OFFER",
        ["unassign"] = "UNASSIGN",
        ["enter-start-code"] = "VERIFY_START_CODE",
        ["enter-completion-code"] = "VERIFY_COMPLETION_CODE",
        ["request-payment"] = "REQUEST_PAYMENT",
        ["confirm-pay"] = "CONFIRM_AND_PAY",
        ["dispute"] = "DISPUTE",
        ["cancel-job"] = "CANCEL",
        ["save-job"] = "EDIT",
        ["propose-price"] = "PROPOSE_PRICE",
        ["accept-price"] = "ANSWER_PRICE_PROPOSAL",
        ["decline-price"] = "ANSWER_PRICE_PROPOSAL",
        ["ask-question"] = "OPEN_THREAD",
    };

    /// <summary>Controls that do not act on the job: copying a code, and the confirm buttons of a form another control opens.</summary>
    private static readonly HashSet<string> NotActions =
        ["copy-start-code", "copy-completion-code", "cancel-job-confirm", "unassign-confirm", "dispute-confirm", "send-message", "thread-row"];

    [Fact]
    public async Task Every_control_on_the_job_page_is_an_allowed_action_for_its_viewer_at_every_step()
    {
        await using var customer = await site.OpenAsync("Cora", output);
        await using var hustler = await site.OpenAsync("Hank", output);
        await using var rival = await site.OpenAsync("Rita", output);
        await customer.SignUpAsync("pm_card_visa");
        await hustler.SignUpAsync();
        await rival.SignUpAsync();

        const string title = "Mount a bathroom mirror";
        var jobId = await customer.PostFlatJobAsync(title, "80.00");
        await Expect(customer.By("waiting-for-offers")).ToBeVisibleAsync();
        await ExpectOffersExactlyAllowed(customer, jobId, "CANCEL", "EDIT");

        await hustler.OpenFromBrowseAsync(title);
        await hustler.By("make-offer").ClickAsync();
        await Expect(hustler.By("my-offer")).ToBeVisibleAsync();
        await Expect(customer.By("accept-offer")).ToBeVisibleAsync();
        await rival.OpenFromBrowseAsync(title);
        await Expect(rival.By("make-offer")).ToBeVisibleAsync();
        await ExpectOffersExactlyAllowed(customer, jobId, "DECLINE_OFFER", "ACCEPT_OFFER", "CANCEL", "EDIT");
        await ExpectOffersExactlyAllowed(hustler, jobId, "WITHDRAW_OFFER");
        await ExpectOffersExactlyAllowed(rival, jobId, "MAKE_OFFER", "OPEN_THREAD");
        await Expect(hustler.By("accept-offer")).ToHaveCountAsync(0);

        await customer.By("accept-offer").ClickAsync();
        var startCode = await customer.ReadCodeAsync("start-code");
        var completionCode = await customer.ReadCodeAsync("completion-code");
        await hustler.ExpectStatusAsync("SCHEDULED");
        await Expect(hustler.By("assigned-note")).ToBeVisibleAsync();
        await ExpectOffersExactlyAllowed(customer, jobId, "UNASSIGN", "EDIT", "PROPOSE_PRICE");
        await ExpectOffersExactlyAllowed(hustler, jobId, "UNASSIGN", "VERIFY_START_CODE", "PROPOSE_PRICE");
        await Expect(customer.By("start-code-input")).ToHaveCountAsync(0);
        // The rival took no part, so no event tells their page; opened again, the job is no longer theirs to see.
        await rival.Page.ReloadAsync();
        await Expect(rival.By("job-gone")).ToBeVisibleAsync();
        await Expect(rival.By("make-offer")).ToHaveCountAsync(0);

        // A price proposal is answered by the other party only.
        await hustler.By("price-proposal-panel").Locator("summary").ClickAsync();
        await hustler.By("proposal-amount").FillAsync("90.00");
        await hustler.By("propose-price").ClickAsync();
        await Expect(hustler.By("price-proposal-pending")).ToBeVisibleAsync();
        await Expect(customer.By("accept-price")).ToBeVisibleAsync();
        await ExpectOffersExactlyAllowed(customer, jobId, "UNASSIGN", "EDIT", "ANSWER_PRICE_PROPOSAL");
        await ExpectOffersExactlyAllowed(hustler, jobId, "UNASSIGN", "VERIFY_START_CODE");
        await Expect(hustler.By("accept-price")).ToHaveCountAsync(0);
        await customer.By("decline-price").ClickAsync();
        await Expect(hustler.By("price-proposal-pending")).ToHaveCountAsync(0);

        await hustler.EnterCodeAsync("start", startCode);
        await customer.ExpectStatusAsync("IN_PROGRESS");
        await Expect(hustler.By("completion-code-input")).ToBeVisibleAsync();
        await ExpectOffersExactlyAllowed(customer, jobId);
        await ExpectOffersExactlyAllowed(hustler, jobId, "VERIFY_COMPLETION_CODE");

        await hustler.EnterCodeAsync("completion", completionCode);
        await customer.ExpectStatusAsync("AWAITING_CUSTOMER_CONFIRM");
        await Expect(customer.By("confirm-pay")).ToBeVisibleAsync();
        await ExpectOffersExactlyAllowed(customer, jobId, "CONFIRM_AND_PAY", "DISPUTE");
        await ExpectOffersExactlyAllowed(hustler, jobId);
        await Expect(hustler.By("confirm-pay")).ToHaveCountAsync(0);

        // Once disputed, a second dispute would be refused: it is no longer offered.
        await customer.By("dispute").ClickAsync();
        await customer.By("dispute-reason").FillAsync("One shelf is crooked");
        await customer.By("dispute-confirm").ClickAsync();
        await Expect(customer.By("dispute-note")).ToBeVisibleAsync();
        await ExpectOffersExactlyAllowed(customer, jobId, "CONFIRM_AND_PAY");

        await customer.By("confirm-pay").ClickAsync();
        await customer.ExpectStatusAsync("PAID");
        await hustler.ExpectStatusAsync("PAID");
        await ExpectOffersExactlyAllowed(customer, jobId);
        await ExpectOffersExactlyAllowed(hustler, jobId);
    }

    /// <summary>
    /// The person's enabled controls ask for exactly <paramref name="expected"/>, each one allowed by the server asked
    /// with their session. The server may allow more than a page draws: a new proposal while one is pending (the page
    /// shows the pending one), a new thread once there is a conversation.
    /// </summary>
    private static async Task ExpectOffersExactlyAllowed(Person person, string jobId, params string[] expected)
    {
        try
        {
            // The other person's page follows by push: let it draw the step first.
            await person.Page.WaitForFunctionAsync(
                """
                ([map, expected]) => {
                  const shown = [...document.querySelectorAll('[data-testid=job-page] button[data-testid]:not([disabled])')];
                  const offered = new Set(shown.map((e) => map[e.dataset.testid]).filter(Boolean));
                  return offered.size === expected.length && expected.every((a) => offered.has(a));
                }
                """,
                new object[] { ActionOfControl, expected });
        }
        catch (TimeoutException)
        {
            // Not drawn in time: the assertions below say what the page offers instead.
        }

        var response = await person.Context.APIRequest.GetAsync(new Uri(new Uri(person.Page.Url), $"/api/jobs/{jobId}").ToString());
        using var view = JsonDocument.Parse(await response.TextAsync());
        var allowed = view.RootElement.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetProperty("action").GetString()!).ToHashSet();

        var offered = new HashSet<string>();
        foreach (var testId in await EnabledControlsAsync(person))
        {
            if (!NotActions.Contains(testId))
            {
                Assert.True(ActionOfControl.TryGetValue(testId, out var action), $"{person.Name}'s page shows a control '{testId}' that maps to no action.");
                offered.Add(action!);
            }
        }

        Assert.Subset(allowed, offered);
        Assert.Equal(expected.Order(), offered.Order());
    }

    /// <summary>The testids of every enabled button on the job page, visible or folded away in a details panel.</summary>
    private static async Task<IReadOnlyList<string>> EnabledControlsAsync(Person person) =>
        await person.Page.Locator("[data-testid=job-page] button[data-testid]:not([disabled])")
            .EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.testid)");
}
