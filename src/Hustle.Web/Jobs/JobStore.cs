using Hustle.Domain.Jobs;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Sync;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Jobs;

/// <summary>
/// Loads jobs and saves every change the same way: the job (version-checked), its history lines and its feed
/// events in one transaction, with the answer to the request when it carries an <c>Idempotency-Key</c>; the push only
/// after commit. A stale save is refused with 409 and applies nothing.
/// </summary>
public sealed class JobStore(HustleDb db, IWriteTransactions transactions, FeedWriter feed, IFeedPublisher publisher, RequestInfo request, RequestIdempotency idempotency)
{
    public Task<Job?> FindAsync(string id, CancellationToken ct) =>
        db.Jobs.Include(j => j.Offers).Include(j => j.PriceProposals).AsSplitQuery().FirstOrDefaultAsync(j => j.Id == id, ct);

    /// <summary>The job, if <paramref name="userId"/> takes part in it; otherwise 404 (never "forbidden": we don't confirm it exists).</summary>
    public async Task<Job> GetForParticipantAsync(string id, string userId, CancellationToken ct)
    {
        var job = await FindAsync(id, ct);
        return job is not null && JobViews.CanSee(job, userId) ? job : throw ApiProblem.NotFound();
    }

    public async Task<Job> GetByOfferAsync(string offerId, string userId, CancellationToken ct)
    {
        var jobId = await db.Offers.Where(o => o.Id == offerId).Select(o => o.JobId).FirstOrDefaultAsync(ct);
        var job = jobId is null ? null : await FindAsync(jobId, ct);
        var offer = job?.Offers.First(o => o.Id == offerId);
        return job is not null && (job.CustomerId == userId || offer!.HustlerId == userId) ? job : throw ApiProblem.NotFound("offer");
    }

    /// <summary>The job a price proposal belongs to, if <paramref name="userId"/> is one of its two parties; otherwise 404.</summary>
    public async Task<Job> GetByProposalAsync(string proposalId, string userId, CancellationToken ct)
    {
        var jobId = await db.PriceProposals.Where(p => p.Id == proposalId).Select(p => p.JobId).FirstOrDefaultAsync(ct);
        var job = jobId is null ? null : await FindAsync(jobId, ct);
        return job is not null && (job.CustomerId == userId || job.HustlerId == userId) ? job : throw ApiProblem.NotFound("price proposal");
    }

    /// <summary>Disputed jobs still waiting for an operator's decision, oldest first.</summary>
    public async Task<IReadOnlyList<Job>> OpenDisputesAsync(int limit, CancellationToken ct) =>
        await db.Jobs.AsNoTracking()
            .Where(j => j.Disputed && j.Status == JobStatus.AwaitingCustomerConfirm)
            .OrderBy(j => j.UpdatedAt)
            .Take(limit)
            .ToListAsync(ct);

    public void Add(Job job) => db.Jobs.Add(job);

    /// <summary>Saves the job with everything it recorded. <paramref name="alsoSave"/> runs inside the same transaction.</summary>
    public Task SaveAsync(Job job, CancellationToken ct, Func<Task>? alsoSave = null) =>
        SaveInOneTransactionAsync(job, alsoSave, () => Task.CompletedTask, ct);

    /// <summary>
    /// Saves the job like <see cref="SaveAsync(Job, CancellationToken, Func{Task}?)"/> and gives <paramref name="answer"/>,
    /// the request's answer, worked out after the change is saved and kept in the same transaction: a client that
    /// lost it retries with its key and gets it again, even if this process dies right after the commit.
    /// </summary>
    public async Task<T> SaveAsync<T>(Job job, Func<T> answer, CancellationToken ct, Func<Task>? alsoSave = null)
    {
        PreparedAnswer<T>? prepared = null;
        await SaveInOneTransactionAsync(job, alsoSave, async () => prepared = await idempotency.PrepareAsync(db, answer, ct), ct);
        return prepared!.Give();
    }

    private async Task SaveInOneTransactionAsync(Job job, Func<Task>? alsoSave, Func<Task> beforeCommit, CancellationToken ct)
    {
        foreach (var entry in job.NewHistory)
        {
            entry.RequestId = request.Id;
            db.JobHistory.Add(entry);
        }

        IReadOnlyList<FeedPush> pushes;
        await using (var transaction = await transactions.BeginAsync(db, ct))
        {
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                throw ApiProblem.Concurrency();
            }

            if (alsoSave is not null)
            {
                await alsoSave();
            }

            pushes = await feed.AppendAsync(job.NewEvents, job.CustomerId, ct, recipient => new Dictionary<string, object?> { ["allowedActions"] = AllowedActions.For(job, recipient) });
            await beforeCommit();
            // On SQLite the commit is the batch's: the push waits for it, and the pushes of a batch go out in commit order.
            await transaction.CommitAsync(() => publisher.Publish(pushes));
        }

        job.ClearRecorded();
    }
}
