using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Web.Accounts;
using Hustle.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.StepCost;

/// <summary>
/// Hustle in this process (the Production environment, sweeps off, per-user limits lifted: one bench user makes many
/// jobs a minute), on the database it is given, reached over the test server: no sockets, so what is counted is the
/// node's work and the in-process client's, the same before and after a change.
/// </summary>
public sealed class StepCostApp(string provider, string connectionString, string? sqliteSynchronous, string certificatePath) : WebApplicationFactory<Program>
{
    private int _users;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Hustle:Database:Provider", provider);
        builder.UseSetting("ConnectionStrings:Hustle", connectionString);
        if (sqliteSynchronous is not null)
        {
            builder.UseSetting("Hustle:SqliteSynchronous", sqliteSynchronous);
        }

        builder.UseSetting("Hustle:RunSweeps", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting($"{KeyRingProtection.Section}:CertificatePath", certificatePath);
        foreach (var limit in new[] { "SignIn", "CodeEntry", "Messages", "Jobs", "Offers", "Threads" })
        {
            builder.UseSetting($"Hustle:RateLimits:{limit}PerMinute", "1000000");
        }
    }

    /// <summary>Registers, signs in and saves a card for a new user; returns a client carrying their bearer token.</summary>
    public async Task<BenchUser> SignUpAsync(string role)
    {
        const string password = "Step-cost-bench-9";
        var email = $"{role}-{Interlocked.Increment(ref _users)}@stepcost.test";
        var anonymous = CreateClient();
        (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password })).EnsureSuccessStatusCode();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethod = "pm_card_visa" })).EnsureSuccessStatusCode();
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        return new BenchUser(me.GetProperty("id").GetString()!, token, client);
    }

    /// <summary>Connects <paramref name="user"/> to the hub over WebSockets and counts the events pushed to them.</summary>
    public async Task<HubConnection> ConnectAsync(BenchUser user, Action onEvent)
    {
        var server = Server;
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/sync"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(user.Token);
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.WebSocketFactory = async (context, ct) =>
                {
                    var ws = server.CreateWebSocketClient();
                    ws.ConfigureRequest = r => r.Headers.Authorization = $"Bearer {user.Token}";
                    return await ws.ConnectAsync(context.Uri, ct);
                };
            })
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .Build();
        hub.On<JsonElement>("Event", _ => onEvent());
        await hub.StartAsync();
        return hub;
    }
}

public sealed record BenchUser(string Id, string Token, HttpClient Client);
