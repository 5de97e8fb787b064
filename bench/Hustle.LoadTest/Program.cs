using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Hustle.LoadTest;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

// Thousands of connections deliver on the thread pool at once: start with enough threads instead of ramping up mid-run.
ThreadPool.SetMinThreads(64, 64);
var loadAtStart = ProcessStats.LoadAverage();
Console.WriteLine($"hustle-bench: {options.Users} users, {options.Rate}/s for {options.Duration.TotalSeconds} s, {options.ModeName}, {options.Database}; {Environment.ProcessorCount} cores, load {loadAtStart}");

await using var postgres = options.Postgres ? await PostgresServer.StartAsync(options.PostgresConnection) : null;
await using var node = Node.Create(postgres is null ? Node.Sqlite(options.SqliteSynchronous) : Node.Postgres(postgres.NodeConnectionString(options.PostgresSynchronousCommit)), options.NodeSettings, out var configuration);
// Ctrl+C or a kill: the node and the database the bench started would outlive it, holding their ports and folders.
// Each handler stops them, then the signal ends the bench as it would have.
void StopChildren(PosixSignalContext signal)
{
    node.StopNow();
    postgres?.StopNow();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopChildren);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopChildren);
if (configuration != "Release")
{
    Console.WriteLine($"warning: a {configuration} build; figures are only comparable from -c Release.");
}

// Two handlers shared by every simulated user: thousands of connection pools would spend the load generator's memory
// and CPU, which share the machine with the node. Hub connections each keep their own socket (WebSockets, SSE, long
// polling); REST calls share at most 256 connections, so an overloaded node sees requests queue in the generator (the
// wait counts in every latency measured from the request being sent) rather than thousands of sockets and waiting
// SQLite connections that ran the node out of its 20 000 open files (docs/BENCHMARKS.md).
using var hubHandler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, ConnectTimeout = TimeSpan.FromSeconds(30) };
using var invoker = new HttpMessageInvoker(hubHandler, disposeHandler: false);
using var shared = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = 256 };
using var plain = new HttpClient(shared, disposeHandler: false);
// Scrapes have their own connection, so that they do not queue behind the load's requests when the node is behind.
using var scraper = new HttpClient();

var clock = Stopwatch.StartNew();
var accounts = await node.SeedAsync(options.Users);
var seedSeconds = clock.Elapsed.TotalSeconds;
await node.StartAsync(plain);
var operatorToken = await node.SignInOperatorAsync(plain);
Console.WriteLine($"node pid {node.Pid} on {node.BaseAddress} ({configuration}); {accounts.Count} users and tokens seeded in {seedSeconds:F1} s; log {node.LogPath}");

var users = accounts.Select(a => new BenchUser(a, shared, node.BaseAddress)).ToList();
var pairs = users.Chunk(2).Select(p => new Pair(p[0], p[1])).ToList();
(await users[0].Http.GetAsync("/api/me")).EnsureSuccessStatusCode();
var driver = new LifecycleDriver(pairs, options.MaxInFlight);
await driver.WarmUpAsync(options.WarmupJobs);

// The node's own figures come from its Prometheus endpoint, as an operator's dashboards would read them.
Task<NodeMetrics> Metrics() => NodeMetrics.ScrapeAsync(scraper, node.MetricsEndpoint);

async Task<NodeMetrics> MetricsOfLiveHeap()
{
    await node.CollectGarbageAsync(plain, operatorToken);
    return await Metrics();
}

// Tiered compilation recompiles hot methods in the background after the warm-up: wait for it, or its cost would be
// counted as the cost of the first seconds of driving.
var jitClock = Stopwatch.StartNew();
for (var jitted = (await Metrics()).JitCompiledMethods; jitClock.Elapsed < TimeSpan.FromSeconds(30);)
{
    await Task.Delay(1000);
    var now = (await Metrics()).JitCompiledMethods;
    if (now - jitted < 20)
    {
        break;
    }

    jitted = now;
}

Console.WriteLine($"warm-up: {options.WarmupJobs} jobs, JIT settled after {jitClock.Elapsed.TotalSeconds:F0} s");
var metricsBeforeClients = await MetricsOfLiveHeap();
var beforeClients = node.Stats();

using var stopPolling = new CancellationTokenSource();
var pollers = new List<Task>();
clock.Restart();
if (options.Mode == SyncMode.Push)
{
    await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (u, _) => await u.ConnectAsync(options.Transport, invoker));
}
else
{
    // Each client polls on its own phase, as real clients spread over time would.
    var random = new Random(9);
    pollers.AddRange(users.Select(u => options.Mode == SyncMode.Poll
        ? u.PollFeedAsync(options.PollInterval, random.NextDouble() * options.PollInterval, stopPolling.Token)
        : u.PollMyJobsAsync(options.PollInterval, random.NextDouble() * options.PollInterval, stopPolling.Token)));
}

var connectSeconds = clock.Elapsed.TotalSeconds;
await Task.Delay(TimeSpan.FromSeconds(3));
var metricsAfterClients = await MetricsOfLiveHeap();
var afterClients = node.Stats();
Console.WriteLine($"{users.Count} clients started in {connectSeconds:F1} s; node RSS {beforeClients.RssBytes >> 20} → {afterClients.RssBytes >> 20} MiB");

await Task.Delay(options.IdleWindow);
var afterIdle = node.Stats();
var idleCores = afterIdle.CoresSince(afterClients);

var beforeDrive = node.Stats();
var databaseBefore = postgres?.Pid is null ? (double?)null : postgres.CpuSeconds();
var clientBefore = ProcessStats.Read(Environment.ProcessId);
var metricsBeforeDrive = await Metrics();
var sampler = new NodeSampler(scraper, node.MetricsEndpoint);
using var stopSampling = new CancellationTokenSource();
var sampling = sampler.RunAsync(stopSampling.Token);
clock.Restart();
await driver.RunAsync(options.Rate, options.Duration);
var driveSeconds = clock.Elapsed.TotalSeconds;
await stopSampling.CancelAsync();
await sampling;
var afterDrive = node.Stats();
var databaseCores = databaseBefore is null ? (double?)null : (postgres!.CpuSeconds() - databaseBefore.Value) / (afterDrive.At - beforeDrive.At).TotalSeconds;
var clientAfter = ProcessStats.Read(Environment.ProcessId);
var metricsAfterDrive = await Metrics();
var loadAtEnd = ProcessStats.LoadAverage();

// Let the last pushes land (or, when polling, every client poll once more after the last transition).
clock.Restart();
if (options.Mode == SyncMode.Push)
{
    var last = -1L;
    while (clock.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(500);
        var m = await Metrics();
        var delivered = users.Sum(u => (long)u.Deliveries.Count);
        if (m.PushesSent + m.PushesFailed + m.PushesDropped >= m.EventsWritten && delivered == last)
        {
            break;
        }

        last = delivered;
    }
}
else
{
    await Task.Delay(options.PollInterval + TimeSpan.FromSeconds(2));
    await stopPolling.CancelAsync();
    await Task.WhenAll(pollers);
}

if (options.Mode == SyncMode.PollSeed)
{
    await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (u, ct) => await u.ReadMyJobsAsync(ct));
}

var checks = new FeedCheck[users.Count];
await Parallel.ForAsync(0, users.Count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => checks[i] = await users[i].CheckAsync());
var latency = options.Mode == SyncMode.PollSeed
    ? DeliveryLatency.OfSightings(driver)
    : DeliveryLatency.OfFeed(users, driver, pushOnly: options.Mode == SyncMode.Push);
var answers = Percentiles.Of(driver.Transitions.Values.Select(t => DeliveryLatency.Ms(t.SentAt, t.AnsweredAt)));
var pushLatency = metricsAfterDrive.PushLatencyMs.Since(metricsBeforeDrive.PushLatencyMs);
var requestSeconds = metricsAfterDrive.RequestSeconds.Since(metricsBeforeDrive.RequestSeconds);
var databaseCommands = metricsAfterDrive.DatabaseCommandSeconds.Since(metricsBeforeDrive.DatabaseCommandSeconds);
double PerTransition(long count) => driver.Completed == 0 ? 0 : Math.Round((double)count / driver.Completed, 2);

var result = new
{
    options.Label,
    Mode = options.ModeName,
    SqliteSynchronous = options.Postgres ? null : options.SqliteSynchronous ?? "FULL",
    options.Database,
    options.NodeSettings,
    options.Users,
    options.Rate,
    DurationSeconds = options.Duration.TotalSeconds,
    LoadAtStart = loadAtStart,
    LoadAtEnd = loadAtEnd,
    SeedSeconds = Math.Round(seedSeconds, 1),
    ConnectSeconds = Math.Round(connectSeconds, 1),
    TransitionsSent = driver.Sent,
    TransitionsAnswered = driver.Completed,
    TransitionsSkipped = driver.Skipped,
    Failures = driver.Failures,
    SenderMaxLagMs = Math.Round(driver.MaxLagMs, 1),
    TransitionsPerSecond = Math.Round(driver.Completed / driveSeconds, 1),
    EventsPerSecond = Math.Round((metricsAfterDrive.EventsWritten - metricsBeforeDrive.EventsWritten) / driveSeconds, 1),
    Answer = answers,
    DeliveryFromSent = latency.FromSent,
    DeliveryFromAnswer = latency.FromAnswer,
    DeliveryFromAt = latency.FromAt,
    DeliveredBeforeAnswer = latency.BeforeAnswer,
    Unattributed = latency.Unattributed,
    FeedEvents = checks.Sum(c => c.InFeed),
    Lost = checks.Sum(c => c.Missing) + latency.Lost,
    Unknown = checks.Sum(c => c.Unknown),
    Duplicates = checks.Sum(c => c.AppliedTwice) + users.Sum(u => u.DuplicatePushes),
    NotByPush = options.Mode == SyncMode.Push ? checks.Sum(c => c.NotByPush) : 0,
    GapsFilled = users.Sum(u => u.Follower.GapsDetected),
    Reconnects = users.Sum(u => u.Reconnects),
    ResetRequired = checks.Count(c => c.ResetRequired),
    Polls = users.Sum(u => u.Polls),
    PollErrors = users.Sum(u => u.PollErrors),
    RssPerClientBytes = (afterClients.RssBytes - beforeClients.RssBytes) / users.Count,
    PrivatePerClientBytes = (afterClients.PrivateBytes - beforeClients.PrivateBytes) / users.Count,
    GcHeapPerClientBytes = (metricsAfterClients.LiveHeapBytes - metricsBeforeClients.LiveHeapBytes) / users.Count,
    NodeRssMiB = afterDrive.RssBytes >> 20,
    NodeIdleCores = Math.Round(idleCores, 3),
    NodeDriveCores = Math.Round(afterDrive.CoresSince(beforeDrive), 3),
    DatabaseDriveCores = databaseCores is null ? (double?)null : Math.Round(databaseCores.Value, 3),
    BenchDriveCores = Math.Round(clientAfter.CoresSince(clientBefore), 3),
    NodePushP50Ms = Math.Round(pushLatency.Quantile(0.5), 2),
    NodePushP99Ms = Math.Round(pushLatency.Quantile(0.99), 2),
    NodeRequestP50Ms = Math.Round(requestSeconds.Quantile(0.5) * 1000, 2),
    NodeRequestP99Ms = Math.Round(requestSeconds.Quantile(0.99) * 1000, 2),
    EfQueriesPerTransition = PerTransition(metricsAfterDrive.EfQueries - metricsBeforeDrive.EfQueries),
    EfSavesPerTransition = PerTransition(metricsAfterDrive.EfSaves - metricsBeforeDrive.EfSaves),
    SqlCommandsPerTransition = options.Postgres ? PerTransition((long)databaseCommands.Count) : (double?)null,
    SqlCommandP99Ms = options.Postgres ? Math.Round(databaseCommands.Quantile(0.99) * 1000, 2) : (double?)null,
    ThreadPoolQueueMax = sampler.MaxQueueLength,
    ThreadPoolThreadsMax = sampler.MaxThreads,
    LockContentionsPerSecond = Math.Round((metricsAfterDrive.LockContentions - metricsBeforeDrive.LockContentions) / driveSeconds, 1),
    GcAllocatedMiBPerSecond = Math.Round((metricsAfterDrive.GcAllocatedBytes - metricsBeforeDrive.GcAllocatedBytes) / driveSeconds / (1 << 20), 1),
    GcCollections = $"{metricsAfterDrive.Gen0 - metricsBeforeDrive.Gen0}/{metricsAfterDrive.Gen1 - metricsBeforeDrive.Gen1}/{metricsAfterDrive.Gen2 - metricsBeforeDrive.Gen2}",
    GcPausePercent = Math.Round((metricsAfterDrive.GcPauseSeconds - metricsBeforeDrive.GcPauseSeconds) * 100 / driveSeconds, 2),
};

var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
Console.WriteLine(JsonSerializer.Serialize(JsonDocument.Parse(json), new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(
    $"""
    transitions: {result.TransitionsAnswered} answered of {result.TransitionsSent} sent ({result.TransitionsPerSecond}/s), {result.TransitionsSkipped} skipped, failures {string.Join(", ", driver.Failures.Select(f => $"{f.Key}×{f.Value}"))}
    answer:                 {answers}
    delivery from sent:     {latency.FromSent}
    delivery from answer:   {latency.FromAnswer}
    delivery from `at`:     {latency.FromAt}
    lost {result.Lost} · duplicates {result.Duplicates} · not by push {result.NotByPush} · gaps filled {result.GapsFilled} · reconnects {result.Reconnects}
    node (Prometheus): push p50/p99 {result.NodePushP50Ms}/{result.NodePushP99Ms} ms, request p50/p99 {result.NodeRequestP50Ms}/{result.NodeRequestP99Ms} ms, EF {result.EfQueriesPerTransition} queries + {result.EfSavesPerTransition} saves per transition{(options.Postgres ? $" ({result.SqlCommandsPerTransition} SQL commands, p99 {result.SqlCommandP99Ms} ms)" : "")}, thread pool queue ≤ {result.ThreadPoolQueueMax} with ≤ {result.ThreadPoolThreadsMax} threads, {result.LockContentionsPerSecond} lock contentions/s, GC {result.GcCollections} ({result.GcPausePercent} % paused)
    node: {result.NodeDriveCores} cores driving{(databaseCores is null ? "" : $" (+ PostgreSQL {result.DatabaseDriveCores})")}, {result.NodeIdleCores} idle; {result.RssPerClientBytes / 1024.0:F1} KiB RSS, {result.PrivatePerClientBytes / 1024.0:F1} KiB private, {result.GcHeapPerClientBytes / 1024.0:F1} KiB GC heap per client
    """);
if (options.ResultsFile is not null)
{
    await File.AppendAllTextAsync(options.ResultsFile, json + Environment.NewLine);
}

return result.Lost == 0 && result.Duplicates == 0 ? 0 : 1;
