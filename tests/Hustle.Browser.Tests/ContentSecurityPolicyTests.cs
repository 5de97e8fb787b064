using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>
/// The web client runs whole under Hustle's Content-Security-Policy: no inline script, style or handler, nothing
/// from another origin, the hub's WebSocket allowed by <c>connect-src 'self'</c>. Chromium reports each refusal as a
/// <c>securitypolicyviolation</c> event and a console error; both are collected from before the first script runs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserSite site, ITestOutputHelper output)
{
    private const string RecordViolations =
        """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
        """;

    private readonly ConcurrentQueue<string> _console = new();

    [Fact]
    public async Task The_main_screens_run_under_the_policy_with_no_violation_and_the_hub_on_a_WebSocket()
    {
        await using var customer = await site.OpenAsync("Cora", output, prepare: WatchAsync);
        await using var hustler = await site.OpenAsync("Hank", output, prepare: WatchAsync);
        await customer.SignUpAsync("pm_card_visa");
        await hustler.SignUpAsync();
        await Expect(customer.Connection).ToHaveAttributeAsync("data-transport", "WebSockets");

        const string title = "Hang two shelves";
        await customer.PostFlatJobAsync(title, "40.00");
        await hustler.OpenFromBrowseAsync(title);
        await hustler.By("offer-message-input").FillAsync("Drill and rawlplugs ready.");
        await hustler.By("make-offer").ClickAsync();
        await Expect(customer.By("offer-message")).ToBeVisibleAsync();
        await customer.By("accept-offer").ClickAsync();
        await customer.ReadCodeAsync("start-code");
        await hustler.ExpectStatusAsync("SCHEDULED");
        await hustler.By("message-input").FillAsync("Tomorrow at 10?");
        await hustler.By("send-message").ClickAsync();
        await Expect(customer.By("message-body")).ToHaveTextAsync(["Tomorrow at 10?"]);
        foreach (var person in new[] { customer, hustler })
        {
            foreach (var screen in new[] { "nav-messages", "nav-account", "nav-browse", "nav-post", "nav-my-jobs" })
            {
                await person.By(screen).ClickAsync();
            }
        }

        await customer.By("sign-out").ClickAsync();
        await Expect(customer.By("auth-email")).ToBeVisibleAsync();

        foreach (var person in new[] { customer, hustler })
        {
            var violations = await person.Page.EvaluateAsync<string[]>("() => window.__cspViolations");
            Assert.True(violations.Length == 0, $"{person.Name}: {string.Join(" | ", violations)}");
        }

        Assert.True(_console.IsEmpty, string.Join(" | ", _console));
    }

    private async Task WatchAsync(IBrowserContext context)
    {
        await context.AddInitScriptAsync(RecordViolations);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _console.Enqueue(message.Text);
            }
        };
    }
}
