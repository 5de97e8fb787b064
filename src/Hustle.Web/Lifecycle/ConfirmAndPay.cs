using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Payments;

namespace Hustle.Web.Lifecycle;

public static class ConfirmAndPay
{
    public static async Task<JobResponse> Handle(string id, HttpRequest request, CurrentUser me, JobStore jobs, Capture capture, CancellationToken ct)
    {
        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        if (IsRetryOfConfirmThatPaid(job, me, request))
        {
            return JobViews.For(job, me.Id);
        }

        return await capture.RunAsync(job, me.Actor, paid => paid
            ? JobViews.For(job, me.Id)
            : throw ApiProblem.PaymentFailed("The payment could not be captured. Change the payment method and confirm again."), ct);
    }

    /// <summary>
    /// The customer confirms a job their money already paid, without an Idempotency-Key: their first confirmation's
    /// answer was lost, so it gets that answer (the paid job) again. With a key, the key's own replay answers; a
    /// confirmation under another key is a new request and is refused as any other transition from PAID.
    /// </summary>
    private static bool IsRetryOfConfirmThatPaid(Job job, CurrentUser me, HttpRequest request) =>
        job is { Status: JobStatus.Paid, PaymentStatus: PaymentStatus.Captured }
        && job.CustomerId == me.Id
        && !request.Headers.ContainsKey(IdempotencyMiddleware.Header);
}
