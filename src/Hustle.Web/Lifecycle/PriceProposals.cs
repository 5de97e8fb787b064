using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hustle.Web.Lifecycle;

public sealed record ProposePriceRequest(long? Amount, long? HourlyRate);

/// <summary>
/// Changing the price of a scheduled job: one party proposes, the other answers. On accept the price and the hold
/// change together: a larger price grows the hold (incrementally, or by a new hold and a void of the old one), a
/// smaller one keeps the hold and captures less later.
/// </summary>
public static class PriceProposals
{
    public static async Task<Created<PriceProposalResponse>> Propose(string id, ProposePriceRequest body, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct)
    {
        new RequestRules()
            .Money("amount", body.Amount, required: false)
            .Money("hourlyRate", body.HourlyRate, required: false)
            .When(body.Amount is null == body.HourlyRate is null, "amount", "Send either amount (FLAT) or hourlyRate (HOURLY).")
            .ThrowIfAny();
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        var proposal = job.ProposePrice(Ids.New("prp"), me.Actor, body.Amount, body.HourlyRate, clock.GetUtcNow());
        return await jobs.SaveAsync(job, () => TypedResults.Created($"/api/price-proposals/{proposal.Id}", PriceProposalResponse.From(proposal)), ct);
    }

    public static async Task<JobResponse> Accept(string id, CurrentUser me, JobStore jobs, PaymentStore store, JobPayments payments, TimeProvider clock, CancellationToken ct)
    {
        var job = await LoadAsync(id, me, jobs, ct);
        var proposal = job.ProposalToAnswer(id, me.Actor);
        var payment = await store.GetAsync(job.Id, ct);
        var needed = job.PriceToAuthorizeWith(proposal);
        GatewayResult? grown = null;
        if (needed > payment.AuthorizedAmount)
        {
            grown = await payments.IncreaseAsync(job, payment, needed, proposal.Id, ct);
        }

        try
        {
            job.AcceptPriceProposal(id, me.Actor, grown?.Amount ?? payment.AuthorizedAmount, paymentIntentUpdated: grown is not null, clock.GetUtcNow());
            if (grown is not null)
            {
                payment.Raise(grown, clock.GetUtcNow());
            }

            return await jobs.SaveAsync(job, () => JobViews.For(job, me.Id), ct);
        }
        catch when (grown is not null)
        {
            await payments.CompensateAsync(job.Id, grown, CancellationToken.None);
            throw;
        }
    }

    public static async Task<PriceProposalResponse> Decline(string id, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct)
    {
        var job = await LoadAsync(id, me, jobs, ct);
        var proposal = job.DeclinePriceProposal(id, me.Actor, clock.GetUtcNow());
        return await jobs.SaveAsync(job, () => PriceProposalResponse.From(proposal), ct);
    }

    private static Task<Job> LoadAsync(string proposalId, CurrentUser me, JobStore jobs, CancellationToken ct) => jobs.GetByProposalAsync(proposalId, me.Id, ct);
}
