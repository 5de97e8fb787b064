using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Web.Accounts;
using Hustle.Web.Setup;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>A wrong setting stops the start, naming its key, before the database is touched; the defaults start.</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("Hustle:SweepInterval", "-1")]
    [InlineData("Hustle:SweepInterval", "abc")]
    [InlineData("Hustle:DefaultJobExpiry", "00:00:00")]
    [InlineData("Hustle:AutoConfirmWindow", "-3.00:00:00")]
    [InlineData("Hustle:FeedRetention", "0")]
    [InlineData("Hustle:RunSweeps", "sometimes")]
    [InlineData("Hustle:Database:Provider", "Oracle")]
    [InlineData("Hustle:SqliteSynchronous", "OFF")]
    [InlineData("Hustle:SqliteGroupCommit", "sometimes")]
    [InlineData("Hustle:RateLimits:JobsPerMinute", "-5")]
    [InlineData("Hustle:RateLimits:SignInPerMinute", "0")]
    [InlineData("Hustle:RateLimits:ConcurrentWrites", "0")]
    [InlineData("Hustle:RateLimits:WriteQueue", "-1")]
    [InlineData("Hustle:BodyLimits:ApiBytes", "100")]
    [InlineData("Hustle:Client:PollConnectedSeconds", "0")]
    [InlineData("Hustle:Sync:PushQueueCapacity", "-1")]
    [InlineData("Hustle:SignIn:FreeFailures", "-1")]
    [InlineData("Hustle:Sessions:CacheTtl", "soon")]
    [InlineData("Hustle:Payments:Simulated:HoldLifetime", "01:00:00")]
    public void A_wrong_setting_fails_at_start_naming_its_key_before_the_database_is_created(string key, string value)
    {
        using var database = TestDatabase.CreateSqlite();
        using var app = new SettingsApp(database, new Dictionary<string, string?> { [key] = value });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(key, Messages(failure));
        Assert.False(File.Exists(database.Name));
    }

    [Fact]
    public void PostgreSQL_without_a_connection_string_fails_at_start_naming_both_keys()
    {
        using var database = TestDatabase.CreateSqlite();
        using var app = new SettingsApp(database, new Dictionary<string, string?> { ["Hustle:Database:Provider"] = "PostgreSQL", ["ConnectionStrings:Hustle"] = "" });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Hustle:Database:Provider is PostgreSQL but ConnectionStrings:Hustle is empty", Messages(failure));
    }

    [Fact]
    public async Task With_no_settings_of_its_own_the_app_starts_with_the_documented_defaults()
    {
        using var database = TestDatabase.Create();
        using var app = new SettingsApp(database, new Dictionary<string, string?>());

        var health = await app.CreateClient().GetAsync("/health");
        var config = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/config");

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal((60, 15), (config.GetProperty("pollConnectedSeconds").GetInt32(), config.GetProperty("pollDisconnectedSeconds").GetInt32()));
        Assert.Equal("simulated", config.Str("paymentProvider"));
    }

    [Fact]
    public void Every_default_is_the_one_the_README_documents()
    {
        var documented = ReadmeDefaults();
        var bound = new Dictionary<string, string>
        {
            ["Hustle:DefaultJobExpiry"] = new HustleOptions().DefaultJobExpiry.ToString("c"),
            ["Hustle:AutoConfirmWindow"] = new HustleOptions().AutoConfirmWindow.ToString("c"),
            ["Hustle:SweepInterval"] = new HustleOptions().SweepInterval.ToString("c"),
            ["Hustle:RunSweeps"] = "true",
            ["Hustle:FeedRetention"] = new HustleOptions().FeedRetention.ToString("c"),
            ["Hustle:RateLimits:SignInPerMinute"] = $"{new RateLimitOptions().SignInPerMinute}",
            ["Hustle:RateLimits:CodeEntryPerMinute"] = $"{new RateLimitOptions().CodeEntryPerMinute}",
            ["Hustle:RateLimits:MessagesPerMinute"] = $"{new RateLimitOptions().MessagesPerMinute}",
            ["Hustle:RateLimits:JobsPerMinute"] = $"{new RateLimitOptions().JobsPerMinute}",
            ["Hustle:RateLimits:OffersPerMinute"] = $"{new RateLimitOptions().OffersPerMinute}",
            ["Hustle:RateLimits:ThreadsPerMinute"] = $"{new RateLimitOptions().ThreadsPerMinute}",
            ["Hustle:RateLimits:ConcurrentWrites"] = $"{new RateLimitOptions().ConcurrentWrites}",
            ["Hustle:RateLimits:WriteQueue"] = $"{new RateLimitOptions().WriteQueue}",
            ["Hustle:BodyLimits:ApiBytes"] = $"{new BodyLimitOptions().ApiBytes}",
            ["Hustle:BodyLimits:StripeWebhookBytes"] = $"{new BodyLimitOptions().StripeWebhookBytes}",
            ["Hustle:Client:PollConnectedSeconds"] = $"{new ClientOptions().PollConnectedSeconds}",
            ["Hustle:Client:PollDisconnectedSeconds"] = $"{new ClientOptions().PollDisconnectedSeconds}",
            ["Hustle:Sync:PushQueueCapacity"] = $"{new Web.Sync.PushQueueOptions().PushQueueCapacity}",
            ["Hustle:Sync:PushesInFlight"] = $"{new Web.Sync.PushQueueOptions().PushesInFlight}",
            ["Hustle:Metrics:Enabled"] = $"{new MetricsOptions().Enabled}".ToLowerInvariant(),
            ["Hustle:SignIn:FreeFailures"] = $"{new SignInThrottleOptions().FreeFailures}",
            ["Hustle:SignIn:FirstDelay"] = new SignInThrottleOptions().FirstDelay.ToString("c"),
            ["Hustle:SignIn:MaxDelay"] = new SignInThrottleOptions().MaxDelay.ToString("c"),
            ["Hustle:SignIn:AccountFailuresPerHour"] = $"{new SignInThrottleOptions().AccountFailuresPerHour}",
            ["Hustle:SignIn:AddressFailuresPerHour"] = $"{new SignInThrottleOptions().AddressFailuresPerHour}",
            ["Hustle:Sessions:CacheTtl"] = new SessionCacheOptions().CacheTtl.ToString("c"),
            ["Hustle:Payments:Simulated:HoldLifetime"] = new Web.Payments.Simulated.SimulatedPaymentOptions().HoldLifetime.ToString("c"),
            ["Hustle:Payments:Provider"] = PaymentOptions.Simulated,
            ["Hustle:Database:Provider"] = DatabaseOptions.Sqlite,
            ["ConnectionStrings:Hustle"] = DatabaseOptions.DefaultSqliteConnection,
            ["Hustle:SqliteGroupCommit"] = new DatabaseOptions().SqliteGroupCommit ? "true" : "false",
        };

        Assert.All(bound, setting => Assert.Equal((setting.Key, documented.GetValueOrDefault(setting.Key)), (setting.Key, setting.Value)));
    }

    /// <summary>The README's "Configure it" table: key → its default, where the default is one value in backticks.</summary>
    private static Dictionary<string, string> ReadmeDefaults()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "Hustle.slnx")))
        {
            folder = folder.Parent ?? throw new InvalidOperationException("The repository root (Hustle.slnx) is not above the test's folder.");
        }

        return File.ReadLines(Path.Combine(folder.FullName, "README.md"))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length >= 4 && cells[1].StartsWith('`') && cells[2].StartsWith('`') && cells[2].EndsWith('`'))
            .ToDictionary(cells => cells[1].Trim('`'), cells => cells[2].Trim('`'));
    }

    private static string Messages(Exception e) => e.InnerException is null ? e.Message : $"{e.Message} | {Messages(e.InnerException)}";

    /// <summary>Hustle on <paramref name="database"/> with the key-ring certificate and nothing else but <paramref name="settings"/>.</summary>
    private sealed class SettingsApp(TestDatabase database, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Hustle:Database:Provider", database.Provider);
            builder.UseSetting("ConnectionStrings:Hustle", database.ConnectionString);
            builder.UseSetting($"{KeyRingProtection.Section}:CertificatePath", TestCertificate.Path);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
