using System.Data.Common;
using System.Text.Json;
using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hustle.Web.Sync;

/// <summary>
/// Writes events into each recipient's feed inside the caller's transaction. The seq comes from the recipient's
/// counter row, incremented in the same transaction: two writers for one user queue on that row, so seqs are
/// handed out in commit order and a rolled-back writer leaves no hole (a database sequence could do neither).
/// </summary>
public sealed class FeedWriter(HustleDb db, TimeProvider clock, SyncMetrics metrics)
{
    /// <param name="forRecipient">Fields for one recipient's copy alone (what that person may do to the job now).</param>
    public async Task<IReadOnlyList<FeedPush>> AppendAsync(IReadOnlyList<JobEvent> events, string? customerId, CancellationToken ct, Func<string, IReadOnlyDictionary<string, object?>>? forRecipient = null)
    {
        if (events.Count == 0)
        {
            return [];
        }

        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Feed events are written inside the transaction of the change.");
        var at = clock.GetUtcNow();
        var copies = events.SelectMany(e => e.Recipients.Select(r => (Recipient: r, Event: e))).ToList();

        // Users in a fixed order, so two transactions touching the same users lock their counters in the same order.
        var nextSeq = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in copies.GroupBy(c => c.Recipient).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var count = group.Count();
            var last = await IncrementCounterAsync(transaction, group.Key, count, ct);
            nextSeq[group.Key] = last - count + 1;
        }

        var pushes = new List<FeedPush>(copies.Count);
        var ids = events.ToDictionary(e => e, _ => Ids.New("evt"));
        foreach (var (recipient, e) in copies)
        {
            IEnumerable<KeyValuePair<string, object?>> data = e.Data;
            if (e.CustomerOnly is { } codes && recipient == customerId)
            {
                data = data.Concat(codes);
            }

            if (forRecipient is not null)
            {
                data = data.Concat(forRecipient(recipient));
            }

            var row = new FeedEvent
            {
                UserId = recipient,
                Seq = nextSeq[recipient]++,
                EventId = ids[e],
                Type = e.Type,
                JobId = e.JobId,
                At = at,
                Data = JsonSerializer.Serialize(data.ToDictionary(kv => kv.Key, kv => kv.Value), Json.Options),
            };
            db.FeedEvents.Add(row);
            pushes.Add(new FeedPush(recipient, row.ToEnvelope(), 0));
        }

        await db.SaveChangesAsync(ct);
        metrics.EventsWritten(pushes.Count);
        return pushes;
    }

    private async Task<long> IncrementCounterAsync(IDbContextTransaction transaction, string userId, int count, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText =
            """
            INSERT INTO "FeedCounters" ("UserId", "LastSeq") VALUES (@user, @count)
            ON CONFLICT ("UserId") DO UPDATE SET "LastSeq" = "FeedCounters"."LastSeq" + @count
            RETURNING "LastSeq"
            """;
        AddParameter(command, "@user", userId);
        AddParameter(command, "@count", (long)count);
        var result = await command.ExecuteScalarAsync(ct);
        return Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
