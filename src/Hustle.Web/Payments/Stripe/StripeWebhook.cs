using System.Text;
using Hustle.Domain;
using Hustle.Domain.Jobs;
using StripeEvents = Stripe.EventTypes;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Hustle.Web.Payments.Stripe;

public sealed record WebhookAnswer(string EventId, string Outcome);

/// <summary>
/// <c>POST /api/payments/stripe/webhook</c>: what happened to a job's money at Stripe without Hustle asking (a hold
/// that lapsed or was released, a capture or refund in the dashboard). The signature is checked over the raw body
/// with Hustle's clock; each event is applied at most once (its id is stored in the same transaction as the change),
/// and an event that says less than the payment record already does (Stripe reorders) changes nothing. Events caused by
/// Hustle's own calls are recognised from the call journal: settled ones are already in the record, and one that
/// arrives while Hustle's call is still in flight is answered 409 so that Stripe delivers it again later.
/// </summary>
public static class StripeWebhook
{
    public const string SignatureHeader = "Stripe-Signature";

    /// <summary>How old a signature may be, as Stripe's libraries default to: older deliveries may be replays.</summary>
    public const long ToleranceSeconds = 300;

    public static async Task<Ok<WebhookAnswer>> Handle(HttpRequest request, IOptions<StripeOptions> options, JobStore jobs, PaymentStore store, TimeProvider clock, CancellationToken ct)
    {
        string json;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            json = await reader.ReadToEndAsync(ct);
        }

        var now = clock.GetUtcNow();
        var stripeEvent = Verify(json, request.Headers[SignatureHeader].ToString(), options.Value.WebhookSecret!, now);
        if (await store.IsWebhookEventRecordedAsync(stripeEvent.Id, ct))
        {
            return TypedResults.Ok(new WebhookAnswer(stripeEvent.Id, "duplicate"));
        }

        var record = new StripeWebhookEvent
        {
            Id = stripeEvent.Id,
            Type = stripeEvent.Type,
            Outcome = "ignored: not about a Hustle payment",
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc)),
            ReceivedAt = now,
        };
        var holdId = stripeEvent.Data?.Object switch
        {
            PaymentIntent intent => intent.Id,
            Charge charge => charge.PaymentIntentId,
            _ => null,
        };
        var payment = holdId is null ? null : await store.FindByHoldAsync(holdId, ct);
        var job = payment is null ? null : await jobs.FindAsync(payment.JobId, ct);
        try
        {
            if (payment is null || job is null)
            {
                store.Add(record);
                await store.SaveAsync(ct);
                return TypedResults.Ok(new WebhookAnswer(record.Id, record.Outcome));
            }

            record.JobId = job.Id;
            var news = await ReadAsync(stripeEvent, payment, holdId!, store, ct);
            record.Outcome = news.Outcome;
            if (news.Apply is null)
            {
                store.Add(record);
                await store.SaveAsync(ct);
                return TypedResults.Ok(new WebhookAnswer(record.Id, record.Outcome));
            }

            news.Apply(payment, now);
            job.RecordPaymentUpdate(news.Status, news.Status is PaymentStatus.Captured or PaymentStatus.Refunded ? payment.CapturedAmount : null, news.Reason, now);
            await jobs.SaveAsync(job, ct, async () =>
            {
                store.Add(record);
                await store.SaveAsync(ct);
            });
            return TypedResults.Ok(new WebhookAnswer(record.Id, record.Outcome));
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same event committed first: this one must not apply it again.
            store.Forget();
            if (await store.IsWebhookEventRecordedAsync(stripeEvent.Id, ct))
            {
                return TypedResults.Ok(new WebhookAnswer(stripeEvent.Id, "duplicate"));
            }

            throw;
        }
    }

    private static Event Verify(string json, string signature, string secret, DateTimeOffset now)
    {
        try
        {
            // Hustle's clock, not the machine's, decides what is stale; the event's API version may differ from
            // Stripe.net's: only long-stable fields are read.
            return EventUtility.ConstructEvent(json, signature, secret, ToleranceSeconds, now.ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, "invalid_signature", e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, "invalid_event", "The body is not a Stripe event.");
        }
    }

    /// <summary>What the event says that the payment record does not say yet; nothing when the record is as new or newer.</summary>
    private static async Task<News> ReadAsync(Event stripeEvent, Payment p, string holdId, PaymentStore store, CancellationToken ct)
    {
        var calls = await store.CallsAboutHoldAsync(p.JobId, holdId, ct);
        var released = p.IsReleased;
        switch (stripeEvent.Type, stripeEvent.Data.Object)
        {
            case (StripeEvents.PaymentIntentCanceled, PaymentIntent intent):
                WaitFor(calls, "void", "increase", "reauthorize");
                if (calls.Any(c => c.State is PaymentCallState.Succeeded or PaymentCallState.Orphaned && (c.Operation == "void" && c.HoldId == holdId || c.ReplacedHoldId == holdId)))
                {
                    return News.Ignored("Hustle released this hold itself");
                }

                if (p.CapturedAmount > 0 || p.RefundedAmount > 0)
                {
                    return News.Ignored("older than the record: the payment was captured");
                }

                return released
                    ? News.Ignored("already in the record: the hold is released")
                    : new News("applied", PaymentStatus.Voided, Released(intent), (x, now) => x.Release(now));

            case (StripeEvents.PaymentIntentSucceeded, PaymentIntent intent):
                return Captured(calls, p, released, intent.AmountReceived);

            case (StripeEvents.ChargeCaptured, Charge charge):
                return Captured(calls, p, released, charge.AmountCaptured);

            case (StripeEvents.ChargeRefunded, Charge charge):
                WaitFor(calls, "refund");
                var ownRefunds = calls.Where(c => c.Operation == "refund" && c.State == PaymentCallState.Succeeded).Sum(c => c.Amount);
                if (charge.AmountRefunded <= Math.Max(p.RefundedAmount, ownRefunds))
                {
                    return News.Ignored("already in the record, or older than it");
                }

                var refunded = charge.AmountRefunded - p.RefundedAmount;
                return new News("applied", PaymentStatus.Refunded, $"{new Money(refunded, p.Currency)} was refunded at Stripe.",
                    (x, now) => x.RecordRefundedAtProvider(charge.AmountRefunded, charge.AmountCaptured, now));

            case (StripeEvents.PaymentIntentAmountCapturableUpdated, PaymentIntent):
                // The hold's amount comes from the answers to Hustle's own calls; this event can only repeat or precede them.
                return News.Ignored(p.CapturedAmount > 0 || released ? "older than the record: the payment is settled" : "already in the record");

            default:
                return News.Ignored("not an event Hustle acts on");
        }
    }

    private static News Captured(List<PaymentCall> calls, Payment p, bool released, long amount)
    {
        WaitFor(calls, "capture");
        if (calls.Any(c => c.Operation == "capture" && c.State == PaymentCallState.Succeeded))
        {
            return News.Ignored("Hustle captured this payment itself");
        }

        if (p.RefundedAmount > 0)
        {
            return News.Ignored("older than the record: the payment was refunded");
        }

        if (released)
        {
            return News.Ignored("the record shows the hold released");
        }

        return p.CapturedAmount >= amount
            ? News.Ignored("already in the record")
            : new News("applied", PaymentStatus.Captured, $"{new Money(amount, p.Currency)} was captured in Stripe's dashboard.", (x, now) => x.RecordCapturedAtProvider(amount, now));
    }

    /// <summary>Hustle's own call on this hold is still in flight: its commit will record the outcome, so ask Stripe to come back.</summary>
    private static void WaitFor(List<PaymentCall> calls, params string[] operations)
    {
        if (calls.Any(c => c.State == PaymentCallState.Started && operations.Contains(c.Operation)))
        {
            throw new ApiProblem(StatusCodes.Status409Conflict, "payment_in_flight", "Hustle is changing this payment right now; deliver the event again later.");
        }
    }

    private static string Released(PaymentIntent intent) => intent.CancellationReason == "automatic"
        ? "The hold lapsed at Stripe before it was captured."
        : $"The hold was released at Stripe ({intent.CancellationReason ?? "no reason given"}).";

    private sealed record News(string Outcome, PaymentStatus Status = PaymentStatus.None, string Reason = "", Action<Payment, DateTimeOffset>? Apply = null)
    {
        public static News Ignored(string why) => new($"ignored: {why}");
    }
}
