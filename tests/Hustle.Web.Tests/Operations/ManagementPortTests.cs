using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hustle.Web.Setup;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Web.Tests.Operations;

/// <summary>
/// Hustle on Kestrel, listening on a public port and on a management port named by <c>Hustle:Metrics:Port</c>, as a
/// node behind a load balancer would be configured with two <c>Urls</c>.
/// </summary>
public sealed class ManagementPortApp : TestApp
{
    public ManagementPortApp()
    {
        MetricsPort = FreePort();
        UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Listen(IPAddress.Loopback, MetricsPort);
        });
        StartServer();
        ClientOptions.BaseAddress = PublicAddress; // the test users sign up on the public port: the management port serves no API
    }

    public int MetricsPort { get; }

    public Uri PublicAddress => new(Services.GetRequiredService<IServer>().Features
        .GetRequiredFeature<IServerAddressesFeature>().Addresses
        .Single(a => !a.EndsWith($":{MetricsPort}", StringComparison.Ordinal)));

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"{MetricsOptions.Section}:Port"] = MetricsPort.ToString(CultureInfo.InvariantCulture),
    };

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>With a management port, Prometheus scrapes there without signing in; the public port still asks who it is.</summary>
public sealed class ManagementPortTests(ManagementPortApp app) : IClassFixture<ManagementPortApp>
{
    [Fact]
    public async Task Anyone_reaching_the_management_port_reads_the_metrics_and_the_public_port_still_refuses_them()
    {
        using var http = new HttpClient();
        var customer = await app.CreateUserAsync("metrics-port");
        var me = new HttpRequestMessage(HttpMethod.Get, new Uri(app.PublicAddress, "/api/me"));
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customer.Token);
        (await http.SendAsync(me)).EnsureSuccessStatusCode();

        var scraped = await http.GetAsync(new Uri($"http://127.0.0.1:{app.MetricsPort}{TelemetrySetup.Path}"));
        var onPublic = await http.GetAsync(new Uri(app.PublicAddress, TelemetrySetup.Path));
        var spoofed = new HttpRequestMessage(HttpMethod.Get, new Uri(app.PublicAddress, TelemetrySetup.Path));
        spoofed.Headers.Host = $"127.0.0.1:{app.MetricsPort}";
        var withForgedHost = await http.SendAsync(spoofed);

        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        var series = PrometheusText.Parse(await scraped.Content.ReadAsStringAsync());
        Assert.True(series.Sum("http_server_request_duration_seconds_count", "http_route=\"/api/me/\"", "http_response_status_code=\"200\"") >= 1);
        await onPublic.Problem(401, "unauthorized");
        await withForgedHost.Problem(401, "unauthorized");
    }

    [Fact]
    public async Task The_management_port_serves_metrics_and_health_and_not_the_API()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{app.MetricsPort}") };
        var customer = await app.CreateUserAsync("metrics-port-api");
        var me = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customer.Token);

        var api = await http.SendAsync(me);
        var register = await http.PostAsJsonAsync("/api/auth/register", new { email = $"port-{Guid.NewGuid():N}@hustle.test", password = TestUser.Password });
        var health = await http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, register.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(TelemetrySetup.Path)).StatusCode);
    }
}
