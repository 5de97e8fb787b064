using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Web.Accounts;
using Hustle.Web.Lifecycle;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Hustle.Web.Tests;

/// <summary>
/// Hustle in-process on its own database (a SQLite file, or a fresh PostgreSQL database when
/// <c>HUSTLE_TEST_PROVIDER=postgres</c>: see <see cref="TestDatabase"/>), with a fake clock, background sweeps off
/// (tests run them by calling <see cref="Sweeper"/>), and helpers to sign up users and connect them to the hub.
/// </summary>
public class TestApp : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private readonly bool _ownsDatabase;
    private int _users;

    public TestApp()
        : this(TestDatabase.Create(), new FakeTimeProvider(Start), ownsDatabase: true)
    {
    }

    /// <summary>A node on a database (and clock) another test owns, e.g. the second of two nodes.</summary>
    protected TestApp(TestDatabase database, FakeTimeProvider clock, bool ownsDatabase = false)
    {
        Database = database;
        Clock = clock;
        _ownsDatabase = ownsDatabase;
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>Extra configuration for a test class (key → value), applied over appsettings.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Lets a test class swap services (a failing publisher, a gateway double).</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    public LifecycleSweeper Sweeper => Services.GetRequiredService<LifecycleSweeper>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Hustle:Database:Provider", Database.Provider);
        builder.UseSetting("ConnectionStrings:Hustle", Database.ConnectionString);
        builder.UseSetting("Hustle:RunSweeps", "false");
        builder.UseSetting("Hustle:RateLimits:SignInPerMinute", "100000");
        builder.UseSetting("Hustle:RateLimits:CodeEntryPerMinute", "100000");
        builder.UseSetting("Hustle:RateLimits:MessagesPerMinute", "100000");
        builder.UseSetting("Hustle:RateLimits:JobsPerMinute", "100000");
        builder.UseSetting("Hustle:RateLimits:OffersPerMinute", "100000");
        builder.UseSetting("Hustle:RateLimits:ThreadsPerMinute", "100000");
        builder.UseSetting($"{KeyRingProtection.Section}:CertificatePath", TestCertificate.Path);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromDays(365));
            ConfigureTestServices(services);
        });
    }

    /// <summary>Registers and signs in a new user with a saved payment method; returns a client carrying their token.</summary>
    public async Task<TestUser> CreateUserAsync(string name = "user", string? paymentMethod = "pm_card_visa")
    {
        var email = $"{name}-{Interlocked.Increment(ref _users)}-{Guid.NewGuid():N}@hustle.test"[..Math.Min(60, name.Length + 45)];
        return await SignUpAsync(email, paymentMethod);
    }

    public async Task<TestUser> SignUpAsync(string email, string? paymentMethod = "pm_card_visa")
    {
        await RegisterAsync(email);
        return await SignInAsync(email, paymentMethod);
    }

    /// <summary>A new user made an operator the way <c>grant-operator EMAIL</c> does, then signed in (the role is in the token).</summary>
    public async Task<TestUser> CreateOperatorAsync(string name = "operator")
    {
        var email = $"{name}-{Interlocked.Increment(ref _users)}-{Guid.NewGuid():N}@hustle.test";
        await RegisterAsync(email);
        Assert.Equal(OperatorChange.Granted, await Operators.GrantAsync(Services, email));
        return await SignInAsync(email, "pm_card_visa");
    }

    /// <summary>Signs in an account that exists; returns a client carrying a new token (and saves a payment method when given).</summary>
    public async Task<TestUser> SignInAsync(string email, string? paymentMethod = null)
    {
        var login = await CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = TestUser.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        var user = new TestUser(me.GetProperty("id").GetString()!, email, token, client);
        if (paymentMethod is not null)
        {
            (await client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethod })).EnsureSuccessStatusCode();
        }

        return user;
    }

    private async Task RegisterAsync(string email) =>
        (await CreateClient().PostAsJsonAsync("/api/auth/register", new { email, password = TestUser.Password })).EnsureSuccessStatusCode();

    /// <summary>A fresh database context for assertions (read what is really stored).</summary>
    public HustleDb Db() => Services.CreateScope().ServiceProvider.GetRequiredService<HustleDb>();

    /// <summary>A SignalR connection for <paramref name="user"/> over exactly one transport, not yet started.</summary>
    public HubConnection Hub(TestUser user, HttpTransportType transport)
    {
        var server = Server;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/sync"), o =>
            {
                o.Transports = transport;
                o.AccessTokenProvider = () => Task.FromResult<string?>(user.Token);
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                if (transport == HttpTransportType.WebSockets)
                {
                    o.SkipNegotiation = true;
                    o.WebSocketFactory = async (ctx, ct) =>
                    {
                        var ws = server.CreateWebSocketClient();
                        ws.ConfigureRequest = r => r.Headers.Authorization = $"Bearer {user.Token}";
                        return await ws.ConnectAsync(ctx.Uri, ct);
                    };
                }
            })
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .Build();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDatabase)
        {
            Database.Dispose();
        }
    }
}

/// <summary>A signed-up user and an HTTP client that acts as them.</summary>
public sealed record TestUser(string Id, string Email, string Token, HttpClient Client)
{
    public const string Password = "Correct-horse-9";
}
