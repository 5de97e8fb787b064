using System.Diagnostics;

namespace Hustle.LoadTest;

/// <summary>Percentiles of a set of delays in milliseconds (nearest rank).</summary>
public sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.95), At(0.99), sorted.Length == 0 ? double.NaN : sorted[^1]);
    }

    public override string ToString() => $"p50 {P50:F1} · p95 {P95:F1} · p99 {P99:F1} · max {Max:F1} ms (n={Count})";
}

/// <summary>
/// Per delivered event, the delay to its recipient from the transition that caused it: from its request being sent,
/// from its answer arriving (negative when the push beat the answer), and from the envelope's <c>at</c>, stamped
/// by the server inside the transaction just before the feed rows are written.
/// </summary>
public sealed record DeliveryLatency(Percentiles FromSent, Percentiles FromAnswer, Percentiles FromAt, int BeforeAnswer, int Unattributed, int Lost)
{
    private static readonly long ClockBase = Stopwatch.GetTimestamp();
    private static readonly DateTimeOffset WallBase = DateTimeOffset.UtcNow;

    public static DateTimeOffset Wall(long timestamp) => WallBase + Stopwatch.GetElapsedTime(ClockBase, timestamp);

    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    /// <summary>Pushed (or, when polling, fetched) feed events, matched to their transition by (job, type).</summary>
    public static DeliveryLatency OfFeed(IEnumerable<BenchUser> users, LifecycleDriver driver, bool pushOnly)
    {
        List<double> sent = [], answer = [], at = [];
        int beforeAnswer = 0, unattributed = 0;
        foreach (var user in users)
        {
            foreach (var d in user.Deliveries.Where(d => d.ByPush || !pushOnly))
            {
                if (d.JobId is null || !LifecycleDriver.StepOfEvent.TryGetValue(d.Type, out var step)
                    || !driver.Transitions.TryGetValue((d.JobId, step), out var t))
                {
                    unattributed++;
                    continue;
                }

                sent.Add(Ms(t.SentAt, d.ArrivedAt));
                answer.Add(Ms(t.AnsweredAt, d.ArrivedAt));
                at.Add((Wall(d.ArrivedAt) - d.At).TotalMilliseconds);
                beforeAnswer += d.ArrivedAt < t.AnsweredAt ? 1 : 0;
            }
        }

        return new(Percentiles.Of(sent), Percentiles.Of(answer), Percentiles.Of(at), beforeAnswer, unattributed, Lost: 0);
    }

    /// <summary>
    /// The seed's full-list polling: a transition counts as seen by a party when a poll first shows the job at the
    /// version the transition made or later; one never seen by the end is lost.
    /// </summary>
    public static DeliveryLatency OfSightings(LifecycleDriver driver)
    {
        List<double> sent = [], answer = [];
        var lost = 0;
        var byUser = new Dictionary<BenchUser, ILookup<string, Sighting>>();
        foreach (var t in driver.Transitions.Values)
        {
            foreach (var user in t.Recipients)
            {
                if (!byUser.TryGetValue(user, out var sightings))
                {
                    byUser[user] = sightings = user.Sightings.ToLookup(s => s.JobId, StringComparer.Ordinal);
                }

                var first = sightings[t.JobId].Where(s => s.Version >= t.Version).OrderBy(s => s.SeenAt).FirstOrDefault();
                if (first is null)
                {
                    lost++;
                    continue;
                }

                sent.Add(Ms(t.SentAt, first.SeenAt));
                answer.Add(Ms(t.AnsweredAt, first.SeenAt));
            }
        }

        return new(Percentiles.Of(sent), Percentiles.Of(answer), Percentiles.Of([]), 0, 0, lost);
    }
}
