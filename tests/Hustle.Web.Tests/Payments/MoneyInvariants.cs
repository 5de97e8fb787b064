using Hustle.Domain.Jobs;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments;

/// <summary>
/// What must hold for every job's money, read from what is stored (Jobs, Payments, PaymentCalls and the simulated
/// provider's SimulatedHolds), never from answers: nothing captured beyond the hold, a job is PAID exactly when one
/// capture went through, and no money stays held for a job that no longer needs it.
/// </summary>
public static class MoneyInvariants
{
    private static readonly JobStatus[] NoHoldNeeded = [JobStatus.Open, JobStatus.Requested, JobStatus.Cancelled, JobStatus.Expired, JobStatus.Paid];

    public static async Task AssertMoneyInvariantsAsync(TestApp app)
    {
        await using var db = app.Db();
        var now = app.Clock.GetUtcNow();
        var jobs = await db.Jobs.AsNoTracking().ToListAsync();
        var payments = await db.Set<Payment>().AsNoTracking().ToDictionaryAsync(p => p.JobId);
        var calls = await db.Set<PaymentCall>().AsNoTracking().ToListAsync();
        var holds = await db.Set<SimulatedHold>().AsNoTracking().ToListAsync();
        var failures = new List<string>();
        void Check(bool ok, string what)
        {
            if (!ok)
            {
                failures.Add(what);
            }
        }

        foreach (var hold in holds)
        {
            Check(hold.Captured <= hold.Amount, $"hold {hold.Id} of job {hold.JobId} captured {hold.Captured} > authorized {hold.Amount}");
            Check(hold.Refunded <= hold.Captured, $"hold {hold.Id} refunded more than it captured");
            Check(hold.Status == SimulatedHoldStatus.Captured || hold.Captured == 0, $"hold {hold.Id} has a captured amount but is {hold.Status}");
        }

        foreach (var job in jobs)
        {
            var payment = payments.GetValueOrDefault(job.Id);
            var jobHolds = holds.Where(h => h.JobId == job.Id).ToList();
            var open = jobHolds.Where(h => h.Status == SimulatedHoldStatus.RequiresCapture && h.ExpiresAt > now).ToList();
            var captured = jobHolds.Where(h => h.Status == SimulatedHoldStatus.Captured).ToList();
            var captureKeys = calls.Where(c => c.JobId == job.Id && c.Operation == "capture" && c.State == PaymentCallState.Succeeded)
                .Select(c => c.IdempotencyKey).Distinct().ToList();
            var name = $"job {job.Id} ({job.Status}, {job.PaymentStatus})";

            Check(job.CapturedAmount is null || job.CapturedAmount <= job.AuthorizedAmount, $"{name}: captured {job.CapturedAmount} > authorized {job.AuthorizedAmount}");
            Check(payment is null || payment.CapturedAmount <= payment.AuthorizedAmount, $"{name}: payment captured {payment?.CapturedAmount} > authorized {payment?.AuthorizedAmount}");

            // Every successful capture took one hold; a capture given back in full (its change lost a race) keeps nothing.
            Check(captureKeys.Count == captured.Count, $"{name}: {captureKeys.Count} captures succeeded but {captured.Count} holds were captured");
            var kept = captured.Where(h => h.Refunded < h.Captured).ToList();
            if (job.Status == JobStatus.Paid)
            {
                var paidHold = captured.FirstOrDefault(h => h.Id == payment?.HoldId);
                Check(paidHold is not null, $"{name}: PAID but the payment's hold {payment?.HoldId} was not captured");
                Check(kept.All(h => h == paidHold), $"{name}: PAID but the provider kept money on other holds ({string.Join(", ", kept.Where(h => h != paidHold).Select(h => h.Id))})");
                Check(job.PaymentStatus is PaymentStatus.Captured or PaymentStatus.Refunded, $"{name}: PAID but payment status is not CAPTURED");
                Check(job.CapturedAmount == paidHold?.Captured && payment?.CapturedAmount == paidHold?.Captured, $"{name}: provider captured {paidHold?.Captured}, job says {job.CapturedAmount}, payment says {payment?.CapturedAmount}");
                Check(
                    payment?.RefundedAmount == (paidHold?.Refunded ?? 0) && (paidHold?.Refunded ?? 0) == 0 == (job.PaymentStatus == PaymentStatus.Captured),
                    $"{name}: the provider refunded {paidHold?.Refunded} of the paid capture, the payment says {payment?.RefundedAmount} refunded");
            }
            else
            {
                // A capture whose change lost the race to a cancellation is refunded in full: no money is kept.
                Check(kept.Count == 0, $"{name}: not PAID but the provider kept captured money ({string.Join(", ", kept.Select(h => h.Id))})");
                Check(job.PaymentStatus != PaymentStatus.Captured, $"{name}: CAPTURED but not PAID");
            }

            if (NoHoldNeeded.Contains(job.Status))
            {
                Check(open.Count == 0, $"{name}: holds left open: {string.Join(", ", open.Select(h => $"{h.Id}={h.Amount}"))}");
            }
            else
            {
                Check(open.Count <= 1, $"{name}: {open.Count} holds open at once");
                Check(open.All(h => h.Id == payment?.HoldId), $"{name}: an open hold is not the job's current hold");
                var currentHold = jobHolds.FirstOrDefault(h => h.Id == payment?.HoldId);
                Check(
                    job.PaymentStatus != PaymentStatus.Authorized || currentHold?.Status is SimulatedHoldStatus.RequiresCapture or SimulatedHoldStatus.Lapsed,
                    $"{name}: AUTHORIZED but its hold {payment?.HoldId} is {currentHold?.Status.ToString() ?? "missing"}");
                if (open.SingleOrDefault() is { } current && job.PaymentStatus is PaymentStatus.Authorized or PaymentStatus.CaptureFailed)
                {
                    Check(current.Amount == payment!.AuthorizedAmount && job.AuthorizedAmount <= current.Amount, $"{name}: hold {current.Amount}, payment {payment.AuthorizedAmount}, job {job.AuthorizedAmount}");
                }
            }
        }

        Assert.True(failures.Count == 0, "Money invariants broken:\n" + string.Join("\n", failures));
    }
}
