using Microsoft.AspNetCore.Http.Connections;

namespace Hustle.Web.Tests.Sync;

public sealed class SyncMetricsTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task An_operator_sees_connections_by_transport_events_written_push_latency_and_runtime_figures_and_others_are_refused()
    {
        var user = await app.CreateUserAsync("watched");
        await using var live = await LiveUser.ConnectAsync(app, user, HttpTransportType.ServerSentEvents);
        await user.PostFlatJobAsync();
        await live.NextAsync("JOB_CREATED");
        var ops = await app.CreateOperatorAsync();

        var metrics = await (await ops.Client.GetAsync("/api/ops/metrics")).Json();

        Assert.Equal(1, metrics.GetProperty("connectionsByTransport").GetProperty("ServerSentEvents").GetInt64());
        Assert.True(metrics.GetProperty("eventsWritten").GetInt64() >= 1);
        Assert.True(metrics.GetProperty("pushesSent").GetInt64() >= 1);
        var latency = metrics.GetProperty("pushLatency");
        Assert.True(latency.GetProperty("samples").GetInt32() >= 1);
        Assert.True(latency.GetProperty("p50Ms").GetDouble() >= 0);
        var runtime = metrics.GetProperty("runtime");
        Assert.True(runtime.GetProperty("gcHeapBytes").GetInt64() > 0);
        // Not compared with the heap: bytes the GC counts as allocated need not all be resident yet.
        Assert.True(runtime.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(runtime.GetProperty("gcCommittedBytes").GetInt64() > 0);
        Assert.True(runtime.GetProperty("cpuMs").GetDouble() > 0);
        Assert.True(runtime.GetProperty("jitCompiledMethods").GetInt64() > 0);
        var collected = await (await ops.Client.GetAsync("/api/ops/metrics?collect=true")).Json();
        Assert.True(collected.GetProperty("runtime").GetProperty("gen2Collections").GetInt32() > runtime.GetProperty("gen2Collections").GetInt32());
        Assert.Equal(403, (int)(await user.Client.GetAsync("/api/ops/metrics")).StatusCode);
    }
}
