using System.Globalization;
using System.Net;
using Hustle.Web.Setup;

namespace Hustle.Web.Tests.Operations;

/// <summary>
/// <c>GET /metrics</c>: the node's OpenTelemetry metrics in Prometheus' text format, for operators on the public port.
/// The meters are process-wide (other test apps in this process add to them), so the tests assert series and their
/// labels, and values only where this test alone decides them.
/// </summary>
public sealed class MetricsEndpointTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task After_a_request_an_operator_reads_the_sync_ASP_NET_Core_EF_Core_and_runtime_series()
    {
        var customer = await app.CreateUserAsync("metrics-customer");
        var job = await customer.PostFlatJobAsync();
        var ops = await app.CreateOperatorAsync();

        var response = await ops.Client.GetAsync(TelemetrySetup.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var series = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(series.Sum("hustle_feed_events_written_total") >= 1, "the job's JOB_CREATED was written to the feed");
        Assert.True(series.Sum("http_server_request_duration_seconds_count", "http_route=\"/api/jobs/\"", "http_request_method=\"POST\"", "http_response_status_code=\"201\"") >= 1);
        Assert.True(series.Sum("microsoft_entityframeworkcore_savechanges_total") >= 1);
        Assert.True(series.Sum("microsoft_entityframeworkcore_queries_total") >= 1);
        Assert.True(series.Sum("dotnet_gc_heap_total_allocated_bytes_total") > 0);
        Assert.True(series.Sum("dotnet_process_cpu_time_seconds_total") > 0);
        Assert.Contains(series.Names, name => name.StartsWith("dotnet_thread_pool_", StringComparison.Ordinal));
        Assert.Contains(series.Names, name => name.StartsWith("kestrel_", StringComparison.Ordinal) || name.StartsWith("aspnetcore_", StringComparison.Ordinal));
        Assert.Equal("OPEN", (await customer.GetJobAsync(job.Str("id"))).Str("status"));
    }

    [Fact]
    public async Task Anonymous_callers_get_401_and_people_who_are_not_operators_403_with_no_figures()
    {
        var customer = await app.CreateUserAsync("metrics-nosy");

        var anonymous = await app.CreateClient().GetAsync(TelemetrySetup.Path);
        var signedIn = await customer.Client.GetAsync(TelemetrySetup.Path);

        Assert.DoesNotContain("hustle_", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await anonymous.Problem(401, "unauthorized");
        Assert.DoesNotContain("hustle_", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await signedIn.Problem(403, "forbidden");
    }

    [Fact]
    public async Task Scraping_is_not_counted_as_HTTP_traffic()
    {
        var ops = await app.CreateOperatorAsync();

        await ops.Client.GetAsync(TelemetrySetup.Path);
        var series = PrometheusText.Parse(await (await ops.Client.GetAsync(TelemetrySetup.Path)).Content.ReadAsStringAsync());

        Assert.Equal(0, series.Sum("http_server_request_duration_seconds_count", $"http_route=\"{TelemetrySetup.Path}\""));
    }
}

/// <summary>Prometheus' text exposition format, as far as the tests read it: <c>name{labels} value</c> lines.</summary>
public sealed class PrometheusText
{
    private readonly List<(string Name, string Labels, double Value)> _samples;

    private PrometheusText(List<(string Name, string Labels, double Value)> samples) => _samples = samples;

    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    public static PrometheusText Parse(string text) => new([.. text.Split('\n')
        .Where(line => line.Length > 0 && line[0] != '#')
        .Select(line =>
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..brace];
            var labels = brace < 0 ? "" : line[(brace + 1)..line.LastIndexOf('}')];
            return (name, labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
        })]);

    /// <summary>The sum of a metric's samples whose labels include every one of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.Split(',').Contains(l))).Sum(s => s.Value);
}

/// <summary>A node with <c>Hustle:Metrics:Enabled=false</c>.</summary>
public sealed class MetricsOffApp : TestApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"{MetricsOptions.Section}:Enabled"] = "false",
    };
}

/// <summary>Metrics switched off: no endpoint, not even for operators; everything else works.</summary>
public sealed class MetricsOffTests(MetricsOffApp app) : IClassFixture<MetricsOffApp>
{
    [Fact]
    public async Task With_metrics_off_there_is_no_metrics_endpoint_and_jobs_still_post()
    {
        var customer = await app.CreateUserAsync("metrics-off");
        var ops = await app.CreateOperatorAsync();

        var job = await customer.PostFlatJobAsync();
        var response = await ops.Client.GetAsync(TelemetrySetup.Path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("OPEN", (await customer.GetJobAsync(job.Str("id"))).Str("status"));
    }
}
