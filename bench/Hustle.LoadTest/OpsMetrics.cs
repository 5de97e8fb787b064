using System.Net.Http.Headers;
using System.Text.Json;

namespace Hustle.LoadTest;

/// <summary>The node's own figures from <c>GET /api/ops/metrics</c> (operator only): feed writes, pushes, GC and CPU.</summary>
public sealed record OpsMetrics(
    long EventsWritten,
    long PushesSent,
    long PushesFailed,
    long PushesDropped,
    double PushP50Ms,
    double PushP99Ms,
    long GcHeapBytes,
    long GcAllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    double GcPauseMs,
    long JitCompiledMethods)
{
    /// <summary>With <paramref name="collect"/> the node runs a full GC first, so the heap holds only live objects.</summary>
    public static async Task<OpsMetrics> ReadAsync(HttpClient http, Uri node, string operatorToken, bool collect = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node, collect ? "/api/ops/metrics?collect=true" : "/api/ops/metrics"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var m = json.RootElement;
        var push = m.GetProperty("pushLatency");
        var runtime = m.GetProperty("runtime");
        return new OpsMetrics(
            m.GetProperty("eventsWritten").GetInt64(),
            m.GetProperty("pushesSent").GetInt64(),
            m.GetProperty("pushesFailed").GetInt64(),
            m.GetProperty("pushesDropped").GetInt64(),
            push.GetProperty("p50Ms").GetDouble(),
            push.GetProperty("p99Ms").GetDouble(),
            runtime.GetProperty("gcHeapBytes").GetInt64(),
            runtime.GetProperty("gcAllocatedBytes").GetInt64(),
            runtime.GetProperty("gen0Collections").GetInt32(),
            runtime.GetProperty("gen1Collections").GetInt32(),
            runtime.GetProperty("gen2Collections").GetInt32(),
            runtime.GetProperty("gcPauseMs").GetDouble(),
            runtime.GetProperty("jitCompiledMethods").GetInt64());
    }
}
