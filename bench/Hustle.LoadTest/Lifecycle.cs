using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hustle.LoadTest;

/// <summary>The six HTTP transitions of a flat job's life, in order.</summary>
public enum Step
{
    Post,
    Offer,
    Accept,
    Start,
    Complete,
    Confirm,
}

/// <summary>A customer and the hustler who takes their jobs.</summary>
public sealed record Pair(BenchUser Customer, BenchUser Hustler);

/// <summary>One transition as the client saw it: when its request left, when its answer came, the job version it made.</summary>
public sealed record Transition(string JobId, Step Step, long SentAt, long AnsweredAt, int Version, IReadOnlyList<BenchUser> Recipients);

/// <summary>A job going through its life one step at a time; each step may only start when the previous one answered.</summary>
public sealed class JobRun(Pair pair)
{
    public Pair Pair { get; } = pair;

    public Step Next { get; set; } = Step.Post;

    public string? JobId { get; set; }

    public string? OfferId { get; set; }

    public string? StartCode { get; set; }

    public string? CompletionCode { get; set; }

    /// <summary>The job's version after the last step answered.</summary>
    public int Version { get; set; }
}

/// <summary>
/// Sends lifecycle transitions at a fixed rate whatever the answers do (open loop): at each tick the steps due are
/// sent without waiting; a job whose last step answered is ready for its next one; when none is ready a new job is
/// posted by the next pair in turn. Each step's events are attributed by (job, type) to the transition that made them.
/// </summary>
public sealed class LifecycleDriver(IReadOnlyList<Pair> pairs, int maxInFlight)
{
    /// <summary>Event types each step writes to the feed (a flat job's completion also requests payment at once).</summary>
    public static readonly IReadOnlyDictionary<string, Step> StepOfEvent = new Dictionary<string, Step>(StringComparer.Ordinal)
    {
        ["JOB_CREATED"] = Step.Post,
        ["OFFER_RECEIVED"] = Step.Offer,
        ["JOB_ASSIGNED"] = Step.Accept,
        ["JOB_STARTED"] = Step.Start,
        ["JOB_COMPLETED"] = Step.Complete,
        ["PAYMENT_REQUESTED"] = Step.Complete,
        ["PAYMENT_CAPTURED"] = Step.Confirm,
    };

    private readonly ConcurrentQueue<JobRun> _ready = new();
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private int _nextPair;
    private int _inFlight;

    public ConcurrentDictionary<(string JobId, Step Step), Transition> Transitions { get; } = new();

    public IReadOnlyDictionary<string, int> Failures => _failures;

    public long Sent { get; private set; }

    public long Skipped { get; private set; }

    public long Completed => Transitions.Count;

    /// <summary>How far behind its schedule the sender fell, at worst (ms): the load generator's own limit.</summary>
    public double MaxLagMs { get; private set; }

    /// <summary>Runs <paramref name="jobs"/> whole jobs one after another, outside any measurement (JIT warm-up).</summary>
    /// <summary>Runs <paramref name="jobs"/> whole lifecycles, up to 16 at once, without recording them.</summary>
    public async Task WarmUpAsync(int jobs)
    {
        await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(16, pairs.Count) }, async (i, _) =>
        {
            var run = new JobRun(pairs[i % pairs.Count]);
            do
            {
                if (!await StepAsync(run, record: false))
                {
                    throw new InvalidOperationException($"Warm-up failed: {string.Join(", ", _failures.Keys)}.");
                }
            }
            while (run.Next != Step.Post);
        });
    }

    public async Task RunAsync(double rate, TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp();
        var pending = new List<Task>();
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= duration)
            {
                break;
            }

            var due = (long)(elapsed.TotalSeconds * rate) - Sent - Skipped;
            if (due > 1)
            {
                MaxLagMs = Math.Max(MaxLagMs, (due - 1) * 1000 / rate);
            }

            for (var i = 0; i < due; i++)
            {
                if (Volatile.Read(ref _inFlight) >= maxInFlight)
                {
                    Skipped++;
                    continue;
                }

                var run = _ready.TryDequeue(out var ready) ? ready : new JobRun(pairs[_nextPair++ % pairs.Count]);
                Interlocked.Increment(ref _inFlight);
                Sent++;
                pending.Add(StepAndRequeueAsync(run));
            }

            if (pending.Count > 10_000)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(pending);
    }

    private async Task StepAndRequeueAsync(JobRun run)
    {
        try
        {
            if (await StepAsync(run, record: true) && run.Next != Step.Post)
            {
                _ready.Enqueue(run);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Sends the job's next step; false (and the job dropped) when the node refused it.</summary>
    private async Task<bool> StepAsync(JobRun run, bool record)
    {
        var (customer, hustler) = (run.Pair.Customer, run.Pair.Hustler);
        var step = run.Next;
        var (actor, path, body) = step switch
        {
            Step.Post => (customer, "/api/jobs", (object?)new
            {
                title = "Fix the sink",
                description = "Kitchen sink leaks",
                area = "Mission",
                location = "123 Valencia St",
                pricingType = "FLAT",
                amount = 5000,
                currency = "USD",
            }),
            Step.Offer => (hustler, $"/api/jobs/{run.JobId}/offers", new { message = "I can do it" }),
            Step.Accept => (customer, $"/api/offers/{run.OfferId}/accept", null),
            Step.Start => (hustler, $"/api/jobs/{run.JobId}/start", new { code = run.StartCode }),
            Step.Complete => (hustler, $"/api/jobs/{run.JobId}/complete", new { code = run.CompletionCode }),
            _ => (customer, $"/api/jobs/{run.JobId}/confirm", null),
        };

        var sent = Stopwatch.GetTimestamp();
        string text;
        bool ok;
        int status;
        try
        {
            using var response = body is null ? await actor.Http.PostAsync(path, null) : await actor.Http.PostAsJsonAsync(path, body);
            text = await response.Content.ReadAsStringAsync();
            ok = response.IsSuccessStatusCode;
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException e)
        {
            _failures.AddOrUpdate($"{step}: {e.HttpRequestError}", 1, (_, n) => n + 1);
            return false;
        }
        catch (TaskCanceledException)
        {
            // HttpClient's timeout (100 s): counted like a refusal, the job dropped, the run goes on.
            _failures.AddOrUpdate($"{step}: timeout", 1, (_, n) => n + 1);
            return false;
        }

        var answered = Stopwatch.GetTimestamp();
        if (!ok)
        {
            _failures.AddOrUpdate($"{step}: {status}", 1, (_, n) => n + 1);
            return false;
        }

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        switch (step)
        {
            case Step.Post:
                run.JobId = root.GetProperty("id").GetString();
                break;
            case Step.Offer:
                run.OfferId = root.GetProperty("id").GetString();
                break;
            case Step.Accept:
                run.StartCode = root.GetProperty("startCode").GetString();
                run.CompletionCode = root.GetProperty("completionCode").GetString();
                break;
        }

        // An offer answers with the offer, not the job: making it changed the job once.
        run.Version = step == Step.Offer ? run.Version + 1 : root.GetProperty("version").GetInt32();
        if (record)
        {
            IReadOnlyList<BenchUser> recipients = step == Step.Post ? [customer] : [customer, hustler];
            Transitions[(run.JobId!, step)] = new Transition(run.JobId!, step, sent, answered, run.Version, recipients);
        }

        run.Next = step == Step.Confirm ? Step.Post : step + 1;
        return true;
    }
}
