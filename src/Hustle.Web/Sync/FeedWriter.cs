using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hustle.Domain;
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
    /// <summary>Writes the events now, in the caller's transaction (for a writer whose own change is already saved).</summary>
    /// <param name="forRecipient">Fields for one recipient's copy alone (what that person may do to the job now).</param>
    public async Task<IReadOnlyList<FeedPush>> AppendAsync(IReadOnlyList<JobEvent> events, string? customerId, CancellationToken ct, Func<string, IReadOnlyDictionary<string, object?>>? forRecipient = null)
    {
        var pushes = await StageAsync(events, customerId, ct, forRecipient);
        if (pushes.Count > 0)
        {
            await db.SaveChangesAsync(ct);
            Saved(pushes);
        }

        return pushes;
    }

    /// <summary>
    /// Takes the recipients' next seqs (one statement for all of them) and adds the feed rows to the unit of work
    /// without saving: the caller's one save writes them with its change, then it reports them with
    /// <see cref="Saved"/>. Each copy's JSON is serialized once: the row keeps its text, the push the same element.
    /// </summary>
    public Task<IReadOnlyList<FeedPush>> StageAsync(IReadOnlyList<JobEvent> events, string? customerId, CancellationToken ct, Func<string, IReadOnlyDictionary<string, object?>>? forRecipient = null) =>
        StageAsync(Prepare(events, customerId, forRecipient), ct);

    /// <summary>
    /// Each recipient's copy of <paramref name="events"/>, serialized, before the transaction: on SQLite a change
    /// holds the one writer from its first statement to its commit, so what needs no database is done first.
    /// </summary>
    public PreparedEvents Prepare(IReadOnlyList<JobEvent> events, string? customerId, Func<string, IReadOnlyDictionary<string, object?>>? forRecipient = null)
    {
        var copies = new List<PreparedCopy>();
        foreach (var e in events)
        {
            var eventId = Ids.New("evt");
            foreach (var recipient in e.Recipients)
            {
                var data = new Dictionary<string, object?>(e.Data);
                if (e.CustomerOnly is { } codes && recipient == customerId)
                {
                    AddAll(data, codes);
                }

                if (forRecipient is not null)
                {
                    AddAll(data, forRecipient(recipient));
                }

                var json = JsonSerializer.SerializeToElement(data, Json.Options);
                copies.Add(new PreparedCopy(recipient, eventId, e.Type, e.JobId, json, json.GetRawText()));
            }
        }

        return new PreparedEvents(copies);
    }

    /// <summary>Gives the prepared copies their seqs and adds their rows to the unit of work, inside the caller's transaction (see <see cref="StageAsync(IReadOnlyList{JobEvent}, string?, CancellationToken, Func{string, IReadOnlyDictionary{string, object?}}?)"/>).</summary>
    public async Task<IReadOnlyList<FeedPush>> StageAsync(PreparedEvents prepared, CancellationToken ct)
    {
        if (prepared.Copies.Count == 0)
        {
            return [];
        }

        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Feed events are written inside the transaction of the change.");
        var copiesPerUser = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var copy in prepared.Copies)
        {
            copiesPerUser[copy.Recipient] = copiesPerUser.GetValueOrDefault(copy.Recipient) + 1;
        }

        var nextSeq = await IncrementCountersAsync(transaction, copiesPerUser, ct);
        var at = clock.GetUtcNow();
        var pushes = new List<FeedPush>(prepared.Copies.Count);
        foreach (var copy in prepared.Copies)
        {
            var row = new FeedEvent { UserId = copy.Recipient, Seq = nextSeq[copy.Recipient]++, EventId = copy.EventId, Type = copy.Type, JobId = copy.JobId, At = at, Data = copy.Text };
            db.FeedEvents.Add(row);
            pushes.Add(new FeedPush(copy.Recipient, new FeedEnvelope(row.Seq, row.EventId, row.Type, row.JobId, row.At, copy.Json), 0));
        }

        return pushes;
    }

    /// <summary>Counts events whose rows the caller's save has written.</summary>
    public void Saved(IReadOnlyList<FeedPush> pushes) => metrics.EventsWritten(pushes.Count);

    private static void AddAll(Dictionary<string, object?> data, IReadOnlyDictionary<string, object?> more)
    {
        foreach (var (key, value) in more)
        {
            data.Add(key, value);
        }
    }

    /// <summary>
    /// Moves every recipient's counter on by their number of copies in one upsert and returns each one's first new
    /// seq. Users go in a fixed order, so two transactions touching the same users lock their counters in the same order.
    /// </summary>
    private async Task<Dictionary<string, long>> IncrementCountersAsync(IDbContextTransaction transaction, SortedDictionary<string, long> copiesPerUser, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var values = new StringBuilder();
        var i = 0;
        foreach (var (user, count) in copiesPerUser)
        {
            values.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@u{i}, @c{i})");
            AddParameter(command, $"@u{i}", user);
            AddParameter(command, $"@c{i}", count);
            i++;
        }

        command.CommandText =
            $"""
            INSERT INTO "FeedCounters" ("UserId", "LastSeq") VALUES {values}
            ON CONFLICT ("UserId") DO UPDATE SET "LastSeq" = "FeedCounters"."LastSeq" + excluded."LastSeq"
            RETURNING "UserId", "LastSeq"
            """;
        var first = new Dictionary<string, long>(copiesPerUser.Count, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var user = reader.GetString(0);
            first[user] = reader.GetInt64(1) - copiesPerUser[user] + 1;
        }

        return first;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}

/// <summary>Feed copies serialized ahead of their transaction (<see cref="FeedWriter.Prepare"/>).</summary>
public sealed record PreparedEvents(IReadOnlyList<PreparedCopy> Copies);

/// <summary>One recipient's copy of an event, its payload as an element (for the push) and as text (for the row).</summary>
public sealed record PreparedCopy(string Recipient, string EventId, string Type, string? JobId, JsonElement Json, string Text);
