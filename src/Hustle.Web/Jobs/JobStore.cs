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
    // What the rules and AllowedActions read: the job with its pending price proposal (only a SCHEDULED job has one,
    // and never two) in one statement, and its pending offers in a second one only while it has any (OPEN and
    // REQUESTED): loaded apart, they keep the order they were made in. Closed offers and proposals are history
    // (ListOffers reads them). Compiled: no expression tree to build and look up per step.
    private static readonly PerModel<Func<HustleDb, string, CancellationToken, Task<Job?>>> ById = new(() => EF.CompileAsyncQuery(
        (HustleDb db, string id, CancellationToken ct) => db.Jobs
            .Include(j => j.PriceProposals.Where(p => p.Status == ProposalStatus.Pending))
            .FirstOrDefault(j => j.Id == id)));

    private static readonly PerModel<Func<HustleDb, string, CancellationToken, Task<Job?>>> ByOffer = new(() => EF.CompileAsyncQuery(
        (HustleDb db, string offerId, CancellationToken ct) => db.Jobs
            .Include(j => j.PriceProposals.Where(p => p.Status == ProposalStatus.Pending))
            .FirstOrDefault(j => j.Id == db.Offers.Where(o => o.Id == offerId).Select(o => o.JobId).FirstOrDefault())));

    private static readonly PerModel<Func<HustleDb, string, CancellationToken, Task<Job?>>> ByProposal = new(() => EF.CompileAsyncQuery(
        (HustleDb db, string proposalId, CancellationToken ct) => db.Jobs
            .Include(j => j.PriceProposals.Where(p => p.Status == ProposalStatus.Pending))
            .FirstOrDefault(j => j.Id == db.PriceProposals.Where(p => p.Id == proposalId).Select(p => p.JobId).FirstOrDefault())));

    /// <summary>A job's pending offers, and the one named whatever its status; tracked, so they join the job's list.</summary>
    private static readonly PerModel<Func<HustleDb, string, string, IAsyncEnumerable<Offer>>> OffersOf = new(() => EF.CompileAsyncQuery(
        (HustleDb db, string jobId, string offerId) => db.Offers.Where(o => o.JobId == jobId && (o.Status == OfferStatus.Pending || o.Id == offerId))));

    /// <summary>The job with what its rules and <see cref="AllowedActions"/> read: its pending offers and pending price proposal.</summary>
    public async Task<Job?> FindAsync(string id, CancellationToken ct) => await WithOffersAsync(await ById.For(db)(db, id, ct), "", ct);

    /// <summary>The job, if <paramref name="userId"/> takes part in it; otherwise 404 (never "forbidden": we don't confirm it exists).</summary>
    public async Task<Job> GetForParticipantAsync(string id, string userId, CancellationToken ct)
    {
        var job = await FindAsync(id, ct);
        return job is not null && JobViews.CanSee(job, userId) ? job : throw ApiProblem.NotFound();
    }

    public async Task<Job> GetByOfferAsync(string offerId, string userId, CancellationToken ct)
    {
        var job = await WithOffersAsync(await ByOffer.For(db)(db, offerId, ct), offerId, ct);
        var offer = job?.Offers.First(o => o.Id == offerId);
        return job is not null && (job.CustomerId == userId || offer!.HustlerId == userId) ? job : throw ApiProblem.NotFound("offer");
    }

    /// <summary>The job a price proposal belongs to, if <paramref name="userId"/> is one of its two parties; otherwise 404.</summary>
    public async Task<Job> GetByProposalAsync(string proposalId, string userId, CancellationToken ct)
    {
        var job = await WithOffersAsync(await ByProposal.For(db)(db, proposalId, ct), "", ct);
        return job is not null && (job.CustomerId == userId || job.HustlerId == userId) ? job : throw ApiProblem.NotFound("price proposal");
    }

    private async Task<Job?> WithOffersAsync(Job? job, string offerId, CancellationToken ct)
    {
        if (job is { Status: JobStatus.Open or JobStatus.Requested } || (job is not null && offerId.Length > 0))
        {
            // Tracked: each offer joins the job's list as it is read.
            await foreach (var _ in OffersOf.For(db)(db, job.Id, offerId).WithCancellation(ct))
            {
            }
        }

        return job;
    }

    /// <summary>Every offer made on the job, whatever became of it, untracked.</summary>
    public async Task<IReadOnlyList<Offer>> AllOffersAsync(string jobId, CancellationToken ct) =>
        await db.Offers.AsNoTracking().Where(o => o.JobId == jobId).ToListAsync(ct);

    /// <summary>Disputed jobs still waiting for an operator's decision, oldest first.</summary>
    public async Task<IReadOnlyList<Job>> OpenDisputesAsync(int limit, CancellationToken ct) =>
        await db.Jobs.AsNoTracking()
            .Where(j => j.Disputed && j.Status == JobStatus.AwaitingCustomerConfirm)
            .OrderBy(j => j.UpdatedAt)
            .Take(limit)
            .ToListAsync(ct);

    public void Add(Job job) => db.Jobs.Add(job);

    /// <summary>
    /// Saves the job with everything it recorded. <paramref name="alsoSave"/> runs inside the same transaction, before
    /// the save: what it adds to the unit of work (a payment) is written by the same save.
    /// </summary>
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

        // The feed copies are worked out before the transaction: on SQLite it holds the one writer.
        var events = feed.Prepare(job.NewEvents, job.CustomerId, recipient => new Dictionary<string, object?> { ["allowedActions"] = AllowedActions.For(job, recipient) });
        IReadOnlyList<FeedPush> pushes;
        await using (var transaction = await transactions.BeginAsync(db, ct))
        {
            // The recipients' seqs first (one statement), then one save of all the change made: the job under its
            // version check, its history, its feed rows and what alsoSave adds (a payment).
            pushes = await feed.StageAsync(events, ct);
            try
            {
                if (alsoSave is not null)
                {
                    await alsoSave();
                }

                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                throw ApiProblem.Concurrency();
            }

            feed.Saved(pushes);
            await beforeCommit();
            // On SQLite the commit is the batch's: the push waits for it, and the pushes of a batch go out in commit order.
            await transaction.CommitAsync(() => publisher.Publish(pushes));
        }

        job.ClearRecorded();
    }
}
