using System.Net;
using Hustle.Web.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hustle.Browser.Tests;

/// <summary>
/// Hustle on Kestrel on a loopback port, with its own SQLite file, and one headless Chromium (Debian's, driven by
/// Playwright without <c>playwright install</c>). Shared by every browser test; each test opens fresh browser
/// contexts, one per person.
/// </summary>
/// <remarks>
/// The server runs on the real clock, not a <c>FakeTimeProvider</c>: the browser's own clock drives the hourly
/// timer, toasts and typing indicators, and a server stamping <c>startedAt</c> with a fake date would show a
/// nonsense timer. Hourly billing needs no fake time either: any time worked is billed as at least one 15-minute
/// step, and the hustler lowers it from there.
/// </remarks>
public sealed class BrowserSite : IAsyncLifetime, IDisposable
{
    /// <summary>
    /// Poll intervals the page gets from <c>GET /api/config</c>. Disconnected: 1 s, so a page without its socket
    /// follows a job by polling within seconds. Connected: 30 s, longer than any wait in these tests, so a change
    /// a connected page shows in time came by push (or by the catch-up on reconnect/online), never by the poll.
    /// </summary>
    public const int PollConnectedSeconds = 30;
    public const int PollDisconnectedSeconds = 1;

    private readonly HustleHost _host = new();
    private IPlaywright? _playwright;
    private int _people;

    public Uri BaseUri { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: artifacts/screenshots under the repository root.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        // Every Expect(...) waits up to this long for the page to catch up (a slow, shared CI machine); no sleeps.
        Assertions.SetDefaultExpectTimeout(20_000);
        _host.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _host.StartServer();
        var addresses = _host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        BaseUri = new Uri(addresses.First());

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("HUSTLE_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await _host.DisposeAsync();
    }

    public void Dispose() => _host.Dispose();

    /// <summary>A fresh browser context (own cookies, own storage) with its page on Hustle's sign-in screen.</summary>
    /// <param name="prepare">Runs on the new context before its page loads Hustle (to route or block traffic).</param>
    public async Task<Person> OpenAsync(string name, ITestOutputHelper output, int width = 1280, int height = 900, Func<IBrowserContext, Task>? prepare = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUri.ToString(),
            Locale = "en-US",
            TimezoneId = "UTC",
            ViewportSize = new() { Width = width, Height = height },
        });
        context.SetDefaultTimeout(20_000);
        if (prepare is not null)
        {
            await prepare(context);
        }

        var page = await context.NewPageAsync();
        var email = $"{name.ToLowerInvariant()}-{Interlocked.Increment(ref _people)}-{Guid.NewGuid():N}@hustle.test";
        var person = new Person(name, email, context, page, output);
        await page.GotoAsync("/");
        return person;
    }

    /// <summary>Whether an account with <paramref name="email"/> exists, read from the app's own store.</summary>
    public async Task<bool> HasAccountAsync(string email)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByEmailAsync(email) is not null;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hustle.slnx")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>The app as the tests configure it: its own database, short polls, limits out of the way.</summary>
    private sealed class HustleHost : WebApplicationFactory<Program>
    {
        private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"hustle-browser-{Guid.NewGuid():N}.db");
        private readonly string _keysFolder = Path.Combine(Path.GetTempPath(), $"hustle-browser-keys-{Guid.NewGuid():N}");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Hustle", $"Data Source={_dbPath};Default Timeout=60");
            var certificate = Path.Combine(_keysFolder, "dataprotection.pfx");
            KeyRingProtection.CreateOrLoad(certificate).Dispose();
            builder.UseSetting($"{KeyRingProtection.Section}:CertificatePath", certificate);
            builder.UseSetting("Hustle:RunSweeps", "false");
            builder.UseSetting("Hustle:Client:PollConnectedSeconds", PollConnectedSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Hustle:Client:PollDisconnectedSeconds", PollDisconnectedSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Hustle:RateLimits:SignInPerMinute", "100000");
            builder.UseSetting("Hustle:RateLimits:CodeEntryPerMinute", "100000");
            builder.UseSetting("Hustle:RateLimits:MessagesPerMinute", "100000");
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _dbPath, _dbPath + "-wal", _dbPath + "-shm" })
            {
                File.Delete(file);
            }

            if (Directory.Exists(_keysFolder))
            {
                Directory.Delete(_keysFolder, recursive: true);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "browser";
}
