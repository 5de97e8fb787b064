using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>
/// One person in their own browser context, driving Hustle's real UI through its <c>data-testid</c> hooks
/// (listed at the top of wwwroot/js/app.js).
/// </summary>
public sealed partial class Person(string name, string email, IBrowserContext context, IPage page, ITestOutputHelper output) : IAsyncDisposable
{
    public const string Password = "Correct-horse-9";

    public string Name { get; } = name;

    public string Email { get; } = email;

    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    public ILocator By(string testId) => Page.GetByTestId(testId);

    /// <summary>The job page's status badge (the page header's, not a list's).</summary>
    public ILocator JobStatus => Page.Locator("[data-testid=job-page] [data-testid=job-status]");

    public ILocator Connection => By("connection");

    public ILocator Toasts(string text) => By("toast").Filter(new() { HasText = text });

    /// <summary>Creates the account through the sign-in screen, then sets a display name (and a card) on the account page.</summary>
    public async Task SignUpAsync(string? paymentMethod = null, bool expectLive = true)
    {
        Watch();
        await By("auth-email").FillAsync(Email);
        await By("auth-password").FillAsync(Password);
        await By("sign-up").ClickAsync();
        await Expect(By("whoami")).ToBeVisibleAsync();

        await By("nav-account").ClickAsync();
        await By("display-name-input").FillAsync(Name);
        await By("save-display-name").ClickAsync();
        await Expect(By("whoami")).ToHaveTextAsync(Name);
        if (paymentMethod is not null)
        {
            await By("payment-method-select").SelectOptionAsync(paymentMethod);
            await By("save-payment-method").ClickAsync();
            await Expect(By("current-payment-method")).ToContainTextAsync("Visa");
        }

        await By("nav-my-jobs").ClickAsync();
        if (expectLive)
        {
            await Expect(Connection).ToHaveAttributeAsync("data-state", "live");
        }

        await MarkPageAsync();
    }

    /// <summary>Signs in an existing account (another device of the same person).</summary>
    public async Task SignInAsync(string existingEmail)
    {
        Watch();
        await By("auth-email").FillAsync(existingEmail);
        await By("auth-password").FillAsync(Password);
        await By("sign-in").ClickAsync();
        await Expect(By("sign-out")).ToBeVisibleAsync(); // the name is hidden on a phone-width screen
        await Expect(By("whoami")).ToHaveTextAsync(Name);
        await MarkPageAsync();
    }

    public async Task<string> PostFlatJobAsync(string title, string amount, string area = "Hackney", string address = "12 Mare Street")
    {
        await FillJobBasicsAsync(title, area, address);
        await By("job-pricing-flat").CheckAsync();
        await By("job-amount").FillAsync(amount);
        return await SubmitJobAsync(title);
    }

    public async Task<string> PostHourlyJobAsync(string title, string hourlyRate, string estimatedHours, string area = "Dalston", string address = "3 Kingsland Road")
    {
        await FillJobBasicsAsync(title, area, address);
        await By("job-pricing-hourly").CheckAsync();
        await By("job-hourly-rate").FillAsync(hourlyRate);
        await By("job-estimated-hours").FillAsync(estimatedHours);
        return await SubmitJobAsync(title);
    }

    /// <summary>Finds an open job on the Browse page and opens it.</summary>
    public async Task OpenFromBrowseAsync(string title)
    {
        await By("nav-browse").ClickAsync();
        await By("browse-list").GetByTestId("job-link").Filter(new() { HasText = title }).ClickAsync();
        await Expect(By("job-title-heading")).ToHaveTextAsync(title);
    }

    /// <summary>Opens a job from My jobs (an in-app navigation, not a reload).</summary>
    public async Task OpenFromMyJobsAsync(string title)
    {
        await By("nav-my-jobs").ClickAsync();
        await By("job-link").Filter(new() { HasText = title }).ClickAsync();
        await Expect(By("job-title-heading")).ToHaveTextAsync(title);
    }

    public async Task ExpectStatusAsync(string status) =>
        await Expect(JobStatus).ToHaveAttributeAsync("data-status", status);

    /// <summary>Enters a code the customer gave into the start or completion form.</summary>
    public async Task EnterCodeAsync(string which, string code)
    {
        await By($"{which}-code-input").FillAsync(code);
        await By(which == "start" ? "enter-start-code" : "enter-completion-code").ClickAsync();
    }

    /// <summary>A code shown on the customer's job page: six digits.</summary>
    public async Task<string> ReadCodeAsync(string testId)
    {
        var code = By(testId);
        await Expect(code).ToHaveTextAsync(SixDigits());
        return (await code.TextContentAsync())!.Trim();
    }

    /// <summary>
    /// Puts a marker in the page's window. A reload (or any full navigation) would wipe it, so
    /// <see cref="ExpectNoReloadAsync"/> proves every change since arrived in place.
    /// </summary>
    public async Task MarkPageAsync() => await Page.EvaluateAsync("() => { window.__sameDocument = 'still here'; }");

    public async Task ExpectNoReloadAsync() =>
        Assert.Equal("still here", await Page.EvaluateAsync<string?>("() => window.__sameDocument ?? null"));

    /// <summary>Starts recording the feed events the page applies (seq and type), via the app's debug handle.</summary>
    public async Task RecordAppliedEventsAsync() =>
        await Page.EvaluateAsync("() => { window.__applied = []; window.hustle.sync.on('event', (e) => window.__applied.push({ seq: e.seq, type: e.type })); }");

    public async Task<IReadOnlyList<AppliedEvent>> AppliedEventsAsync()
    {
        var applied = await Page.EvaluateAsync<System.Text.Json.JsonElement>("() => window.__applied");
        return [.. applied.EnumerateArray().Select(e => new AppliedEvent(e.GetProperty("seq").GetInt64(), e.GetProperty("type").GetString()!))];
    }

    public async Task ScreenshotAsync(string fileName)
    {
        Directory.CreateDirectory(BrowserSite.ScreenshotFolder);
        var path = Path.Combine(BrowserSite.ScreenshotFolder, fileName);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    [GeneratedRegex(@"^\s*\d{6}\s*$")]
    public static partial Regex SixDigits();

    private bool _watching;

    /// <summary>Page errors and console warnings go to the test's output: the first place to look when a test fails.</summary>
    private void Watch()
    {
        if (_watching)
        {
            return;
        }

        _watching = true;
        Page.PageError += (_, error) => Log($"page error: {error}");
        Page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Log($"console {message.Type}: {message.Text}");
            }
        };
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine($"[{Name}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished: nobody is listening any more.
        }
    }

    private async Task FillJobBasicsAsync(string title, string area, string address)
    {
        await By("nav-post").ClickAsync();
        await By("job-title").FillAsync(title);
        await By("job-description").FillAsync($"{title}: tools provided.");
        await By("job-area").FillAsync(area);
        await By("job-location").FillAsync(address);
    }

    private async Task<string> SubmitJobAsync(string title)
    {
        await By("post-job").ClickAsync();
        await Expect(By("job-title-heading")).ToHaveTextAsync(title);
        await ExpectStatusAsync("OPEN");
        return (await By("job-page").GetAttributeAsync("data-job-id"))!;
    }
}

public sealed record AppliedEvent(long Seq, string Type);
