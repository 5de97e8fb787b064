using Hustle.Domain.Jobs;
using Hustle.Domain.Messaging;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Sync;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Messaging;

/// <summary>
/// Loads threads for their members only (anyone else gets 404) and saves messages and read marks the way JobStore
/// saves jobs: the change and its feed events in one transaction, the push after commit.
/// </summary>
public sealed class ThreadStore(HustleDb db, IWriteTransactions transactions, FeedWriter feed, IFeedPublisher publisher, IPresenceStore presence, TimeProvider clock, RequestIdempotency idempotency)
{
    public Task<ThreadOnJob?> FindForMemberAsync(string threadId, string userId, CancellationToken ct) =>
        db.MessageThreads.AsNoTracking()
            .Where(t => t.Id == threadId && (t.CustomerId == userId || t.HustlerId == userId))
            .Join(db.Jobs, t => t.JobId, j => j.Id, (t, j) => new ThreadOnJob(t, j.Title, j.HustlerId, j.Status))
            .FirstOrDefaultAsync(ct);

    public async Task<ThreadOnJob> GetForMemberAsync(string threadId, string userId, CancellationToken ct) =>
        await FindForMemberAsync(threadId, userId, ct) ?? throw ApiProblem.NotFound("thread");

    public Task<MessageThread?> FindAsync(string jobId, string hustlerId, CancellationToken ct) =>
        db.MessageThreads.AsNoTracking().FirstOrDefaultAsync(t => t.JobId == jobId && t.HustlerId == hustlerId, ct);

    /// <summary>
    /// The thread of this job and hustler, opened now if there is none. Inside a caller's transaction (an offer) it
    /// is saved with the caller's change; a lost race with another opener of the same thread then refuses the whole
    /// change with 409, and on its own it returns the thread the other opener made.
    /// </summary>
    public async Task<(MessageThread Thread, bool Opened)> OpenAsync(string jobId, string customerId, string hustlerId, CancellationToken ct)
    {
        if (await FindAsync(jobId, hustlerId, ct) is { } existing)
        {
            return (existing, false);
        }

        var now = clock.GetUtcNow();
        var thread = MessageThread.Open(Ids.New("thr"), jobId, customerId, hustlerId, now);
        db.MessageThreads.Add(thread);
        db.ThreadReadStates.AddRange(new ThreadReadState(thread.Id, customerId, now), new ThreadReadState(thread.Id, hustlerId, now));
        try
        {
            await db.SaveChangesAsync(ct);
            return (thread, true);
        }
        catch (DbUpdateException) when (db.Database.CurrentTransaction is null)
        {
            db.ChangeTracker.Clear();
            return (await FindAsync(jobId, hustlerId, ct) ?? throw new InvalidOperationException("Thread insert failed and no thread exists."), false);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw ApiProblem.Concurrency();
        }
    }

    /// <summary>
    /// Adds a message with the next seq of its thread and tells both members (the sender's other devices too). The
    /// request's <paramref name="answer"/> is kept with the message, so a sender retrying with its key posts it once.
    /// </summary>
    public async Task<(Message Message, T Answer)> AddMessageAsync<T>(MessageThread thread, string senderId, string body, Func<Message, T> answer, CancellationToken ct)
    {
        Message message;
        IReadOnlyList<FeedPush> pushes;
        PreparedAnswer<T> prepared;
        await using (var transaction = await transactions.BeginAsync(db, ct))
        {
            // The update locks the thread row: two senders queue here and take consecutive seqs in commit order.
            await db.MessageThreads.Where(t => t.Id == thread.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastMessageSeq, t => t.LastMessageSeq + 1), ct);
            var seq = await db.MessageThreads.Where(t => t.Id == thread.Id).Select(t => t.LastMessageSeq).FirstAsync(ct);
            message = new Message(Ids.New("msg"), thread.Id, seq, senderId, body, clock.GetUtcNow());
            db.Messages.Add(message);
            await db.SaveChangesAsync(ct);
            var data = new Dictionary<string, object?>
            {
                ["threadId"] = thread.Id,
                ["jobId"] = thread.JobId,
                ["messageId"] = message.Id,
                ["senderId"] = senderId,
                ["message"] = MessageResponse.Unread(message),
            };
            pushes = await feed.AppendAsync([new JobEvent(EventTypes.MessageCreated, thread.JobId, [thread.CustomerId, thread.HustlerId], data)], thread.CustomerId, ct);
            prepared = await idempotency.PrepareAsync(db, () => answer(message), ct);
            await transaction.CommitAsync(() => publisher.Publish(pushes));
        }

        return (message, prepared.Give());
    }

    /// <summary>
    /// Moves <paramref name="readerId"/>'s read mark forward to <paramref name="upTo"/> (never back) and, when it moved,
    /// tells the other member (read receipts) and the reader's own devices (their unread badge).
    /// </summary>
    public async Task<ThreadReadState> MarkReadAsync(MessageThread thread, string readerId, Message upTo, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        ThreadReadState state;
        IReadOnlyList<FeedPush> pushes = [];
        await using (var transaction = await transactions.BeginAsync(db, ct))
        {
            var moved = await db.ThreadReadStates
                .Where(r => r.ThreadId == thread.Id && r.UserId == readerId && r.LastReadSeq < upTo.Seq)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.LastReadSeq, upTo.Seq)
                    .SetProperty(r => r.LastReadMessageId, upTo.Id)
                    .SetProperty(r => r.UpdatedAt, now), ct);
            state = await db.ThreadReadStates.AsNoTracking().FirstAsync(r => r.ThreadId == thread.Id && r.UserId == readerId, ct);
            if (moved > 0)
            {
                var data = new Dictionary<string, object?>
                {
                    ["threadId"] = thread.Id,
                    ["jobId"] = thread.JobId,
                    ["readerId"] = readerId,
                    ["upToMessageId"] = upTo.Id,
                    ["readAt"] = now,
                    ["readerUnreadCount"] = await UnreadCountAsync(thread.Id, readerId, state.LastReadSeq, ct),
                };
                pushes = await feed.AppendAsync([new JobEvent(EventTypes.MessagesRead, thread.JobId, [thread.CustomerId, thread.HustlerId], data)], thread.CustomerId, ct);
            }

            await transaction.CommitAsync(() => publisher.Publish(pushes));
        }

        return state;
    }

    /// <summary>Whether <paramref name="message"/> is its sender's first in a thread the other member had written in: they share presence from now on.</summary>
    public async Task<bool> StartedConversationAsync(MessageThread thread, Message message, CancellationToken ct)
    {
        var other = thread.OtherMember(message.SenderId);
        return !await db.Messages.AnyAsync(m => m.ThreadId == thread.Id && m.SenderId == message.SenderId && m.Seq < message.Seq, ct)
            && await db.Messages.AnyAsync(m => m.ThreadId == thread.Id && m.SenderId == other, ct);
    }

    public Task<int> UnreadCountAsync(string threadId, string userId, long lastReadSeq, CancellationToken ct) =>
        db.Messages.CountAsync(m => m.ThreadId == threadId && m.SenderId != userId && m.Seq > lastReadSeq, ct);

    public Task<Message?> FindMessageAsync(string threadId, string messageId, CancellationToken ct) =>
        db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.ThreadId == threadId && m.Id == messageId, ct);

    /// <summary>How far each member has read (user id → seq).</summary>
    public async Task<Dictionary<string, long>> ReadSeqsAsync(string threadId, CancellationToken ct) =>
        await db.ThreadReadStates.AsNoTracking().Where(r => r.ThreadId == threadId).ToDictionaryAsync(r => r.UserId, r => r.LastReadSeq, StringComparer.Ordinal, ct);

    /// <summary>Messages with seq in (<paramref name="afterSeq"/>, <paramref name="beforeSeq"/>), the first or (with a before cursor) the last <paramref name="limit"/>, oldest first.</summary>
    public async Task<List<Message>> MessagesAsync(string threadId, long afterSeq, long? beforeSeq, int limit, CancellationToken ct)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.ThreadId == threadId && m.Seq > afterSeq);
        if (beforeSeq is { } before)
        {
            var newestFirst = await query.Where(m => m.Seq < before).OrderByDescending(m => m.Seq).Take(limit).ToListAsync(ct);
            newestFirst.Reverse();
            return newestFirst;
        }

        return await query.OrderBy(m => m.Seq).Take(limit).ToListAsync(ct);
    }

    /// <summary>
    /// The people <paramref name="userId"/> shares presence with, both ways (who is told when they come and go, and
    /// whose online state they may read): the other party of each live job (a customer and the hustler assigned to a
    /// job not yet paid, cancelled or expired), and the other member of each thread in which both have written. A
    /// stranger who merely opened a thread on an open job learns nothing of the customer until the customer answers.
    /// </summary>
    public async Task<List<string>> CounterpartsOfAsync(string userId, CancellationToken ct) =>
        [.. (await CounterpartsAmongAsync(db, [userId], ct))[userId]];

    /// <summary>
    /// <see cref="CounterpartsOfAsync"/> of many users in one query (user id → their counterparts): presence asks it
    /// for everyone who came or went while its previous query ran, so a crowd connecting at once costs a few queries.
    /// </summary>
    public static async Task<ILookup<string, string>> CounterpartsAmongAsync(HustleDb db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var onLiveJobs = db.Jobs.AsNoTracking()
            .Where(j => j.HustlerId != null && (userIds.Contains(j.CustomerId) || userIds.Contains(j.HustlerId!))
                && j.Status != JobStatus.Paid && j.Status != JobStatus.Cancelled && j.Status != JobStatus.Expired)
            .Select(j => new { Customer = j.CustomerId, Hustler = j.HustlerId! });
        var inConversation = db.MessageThreads.AsNoTracking()
            .Where(t => (userIds.Contains(t.CustomerId) || userIds.Contains(t.HustlerId))
                && db.Messages.Any(m => m.ThreadId == t.Id && m.SenderId == t.CustomerId)
                && db.Messages.Any(m => m.ThreadId == t.Id && m.SenderId == t.HustlerId))
            .Select(t => new { Customer = t.CustomerId, Hustler = t.HustlerId });
        var pairs = await onLiveJobs.Union(inConversation).ToListAsync(ct);
        var asked = userIds.ToHashSet(StringComparer.Ordinal);
        return pairs
            .SelectMany(p => new[] { (Of: p.Customer, Other: p.Hustler), (Of: p.Hustler, Other: p.Customer) })
            .Where(p => asked.Contains(p.Of))
            .Distinct()
            .ToLookup(p => p.Of, p => p.Other, StringComparer.Ordinal);
    }

    /// <summary>
    /// <paramref name="userId"/>'s threads (or just <paramref name="onlyThreadId"/>), newest activity first, in five
    /// queries whatever their number. With <paramref name="take"/>: only the <paramref name="take"/> newest threads
    /// opened before <paramref name="after"/> (creation time, then id: an order that new messages do not change).
    /// </summary>
    public async Task<List<ThreadResponse>> ViewsAsync(string userId, string? onlyThreadId, CancellationToken ct, PageKey? after = null, int take = int.MaxValue)
    {
        var mine = db.MessageThreads.AsNoTracking()
            .Where(t => (t.CustomerId == userId || t.HustlerId == userId) && (onlyThreadId == null || t.Id == onlyThreadId));
        if (after is { } key)
        {
            var (at, id) = (key.Time(), key.Id);
            mine = mine.Where(t => t.CreatedAt < at || (t.CreatedAt == at && string.Compare(t.Id, id) < 0));
        }

        var threads = await mine
            .OrderByDescending(t => t.CreatedAt)
            .ThenByDescending(t => t.Id)
            .Take(take)
            .Join(db.Jobs, t => t.JobId, j => j.Id, (t, j) => new ThreadOnJob(t, j.Title, j.HustlerId, j.Status))
            .ToListAsync(ct);
        if (threads.Count == 0)
        {
            return [];
        }

        var ids = threads.Select(t => t.Thread.Id).ToList();
        var reads = (await db.ThreadReadStates.AsNoTracking().Where(r => ids.Contains(r.ThreadId)).ToListAsync(ct))
            .ToLookup(r => r.ThreadId);
        var unread = await (
                from m in db.Messages
                join r in db.ThreadReadStates on m.ThreadId equals r.ThreadId
                where r.UserId == userId && ids.Contains(m.ThreadId) && m.SenderId != userId && m.Seq > r.LastReadSeq
                group m by m.ThreadId into g
                select new { ThreadId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.ThreadId, x => x.Count, ct);
        var lastMessages = await db.Messages.AsNoTracking()
            .Where(m => ids.Contains(m.ThreadId) && db.MessageThreads.Any(t => t.Id == m.ThreadId && t.LastMessageSeq == m.Seq))
            .ToDictionaryAsync(m => m.ThreadId, ct);
        var counterpartIds = threads.Select(t => t.Thread.OtherMember(userId)).Distinct().ToList();
        var shared = (await CounterpartsOfAsync(userId, ct)).ToHashSet(StringComparer.Ordinal);
        var people = await db.Users.AsNoTracking()
            .Where(u => counterpartIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.LastSeenAt })
            .ToDictionaryAsync(u => u.Id, ct);
        var online = await presence.OnlineAmongAsync([.. counterpartIds.Where(shared.Contains)]);

        return
        [
            .. threads
                .Select(t =>
                {
                    var thread = t.Thread;
                    var readSeqOf = reads[thread.Id].ToDictionary(r => r.UserId, r => r.LastReadSeq, StringComparer.Ordinal);
                    var mine = reads[thread.Id].FirstOrDefault(r => r.UserId == userId);
                    var last = lastMessages.GetValueOrDefault(thread.Id);
                    var otherId = thread.OtherMember(userId);
                    var other = people.GetValueOrDefault(otherId);
                    var isOnline = online.Contains(otherId);
                    var lastSeenAt = shared.Contains(otherId) && !isOnline ? other?.LastSeenAt : null;
                    var name = other is { DisplayName.Length: > 0 } ? other.DisplayName : otherId == thread.CustomerId ? "Customer" : "Hustler";
                    var reason = t.ReadOnlyReason;
                    return new ThreadResponse(
                        thread.Id,
                        thread.JobId,
                        t.JobTitle,
                        thread.CustomerId,
                        thread.HustlerId,
                        new CounterpartResponse(otherId, name, isOnline, lastSeenAt),
                        unread.GetValueOrDefault(thread.Id),
                        reason is not null,
                        reason,
                        last is null ? null : MessageResponse.From(last, thread, readSeqOf),
                        mine?.LastReadMessageId,
                        thread.CreatedAt);
                })
                .OrderByDescending(v => v.LastMessage?.CreatedAt ?? v.CreatedAt)
                .ThenBy(v => v.Id, StringComparer.Ordinal),
        ];
    }
}
