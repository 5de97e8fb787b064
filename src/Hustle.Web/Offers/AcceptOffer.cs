using Hustle.Domain.Jobs;
using Hustle.Web.Accounts;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;
using Microsoft.AspNetCore.Identity;

namespace Hustle.Web.Offers;

/// <summary>
/// The customer accepts one offer: the money is put on hold first (a decline changes nothing), then the job is
/// scheduled with its codes and the other offers declined. If the commit loses a race, the hold is voided.
/// </summary>
public static class AcceptOffer
{
    public static async Task<JobResponse> Handle(string id, CurrentUser me, JobStore jobs, PaymentStore store, JobPayments payments, UserManager<User> users, TimeProvider clock, CancellationToken ct)
    {
        var job = await jobs.GetByOfferAsync(id, me.Id, ct);
        job.EnsureAllowed(JobAction.AcceptOffer, job.RoleOf(me.Id));
        var paymentMethod = (await users.FindByIdAsync(me.Id))?.PaymentMethod
            ?? throw new ApiProblem(StatusCodes.Status402PaymentRequired, "payment_method_required", "Add a payment method before accepting an offer.");
        var amount = job.AmountToAuthorizeFor(id);
        var hold = await payments.AuthorizeAsync(job, id, me.Id, paymentMethod, amount, ct);
        try
        {
            job.AcceptOffer(id, me.Actor, amount, Ids.Code(), Ids.Code(), clock.GetUtcNow());
            // The payment is saved with the job, whose version-checked update comes first in that save (EF orders the
            // statements by table): a racing accept then loses on the job (409), not on the payment row's key (which
            // PostgreSQL reports only after waiting).
            return await jobs.SaveAsync(job, () => JobViews.For(job, me.Id), ct, async () =>
            {
                var payment = await store.GetOrOpenAsync(job, payments.Provider, ct);
                payment.Hold(payments.Provider, hold, paymentMethod, clock.GetUtcNow());
            });
        }
        catch
        {
            await payments.CompensateAsync(job.Id, hold, CancellationToken.None);
            throw;
        }
    }
}
