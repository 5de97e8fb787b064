using Stripe;

namespace Hustle.Web.Payments.Stripe;

/// <summary>
/// Holds and captures money with Stripe PaymentIntents (<c>capture_method=manual</c>, confirmed off-session on the
/// customer's saved card). Every write carries Hustle's deterministic key as <c>Idempotency-Key</c>, so a repeat (a
/// Stripe.net retry, or the reconciler after a crash) gets Stripe's first answer instead of moving money again.
/// Stripe.net repeats requests that got no answer, a 409, a 5xx or a 429 (see <see cref="RateLimitedIsRetryable"/>);
/// what still fails after that is <see cref="GatewayOutcome.Unavailable"/>. Stripe's refusals become outcomes, never
/// exceptions.
/// </summary>
public sealed class StripeGateway(StripeClient stripe, StripeCustomers customers, TimeProvider clock, ILogger<StripeGateway> log) : IPaymentGateway, IPaymentMethodRules
{
    public const string ProviderName = "stripe";

    /// <summary>How long Stripe keeps an online card authorization when the charge does not say (<c>capture_before</c>).</summary>
    public static readonly TimeSpan DefaultHoldLifetime = TimeSpan.FromDays(7);

    public string Name => ProviderName;

    public bool IsAcceptable(string paymentMethod) =>
        paymentMethod.StartsWith("pm_", StringComparison.Ordinal) && paymentMethod.Length is > 3 and <= 255 && paymentMethod.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public string Describe() => "paymentMethod must be a Stripe PaymentMethod id (pm_…), as the Payment Element returns it.";

    public Task<GatewayResult> AuthorizeAsync(AuthorizeRequest r, CancellationToken ct) =>
        CallAsync(takesHold: true, async () =>
        {
            var customer = await customers.FindAsync(r.CustomerId, ct);
            return Held(await stripe.V1.PaymentIntents.CreateAsync(NewHold(r.PaymentMethod, r.Amount, r.Currency, r.JobId, customer), Key(r.IdempotencyKey), ct));
        }, ct);

    /// <summary>
    /// Grows the hold in place when its charge allows incremental authorization; otherwise (or for a renewal) takes a
    /// new hold with the request's key and cancels the old one with a key derived from it. Which way it goes depends
    /// only on the old hold, so a repeat with the same key takes the same way and gets Stripe's first answers.
    /// </summary>
    public Task<GatewayResult> IncreaseAsync(ChangeAmountRequest r, CancellationToken ct) =>
        CallAsync(takesHold: true, async () =>
        {
            var hold = await stripe.V1.PaymentIntents.GetAsync(r.HoldId, new PaymentIntentGetOptions { Expand = ["latest_charge"] }, null, ct);
            if (!r.ForceNewHold && hold.Status == "requires_capture" && IncrementAvailable(hold) && hold.PaymentMethodId == r.PaymentMethod && r.NewAmount >= hold.Amount)
            {
                var grown = await stripe.V1.PaymentIntents.IncrementAuthorizationAsync(hold.Id, new PaymentIntentIncrementAuthorizationOptions { Amount = r.NewAmount, Expand = ["latest_charge"] }, Key(r.IdempotencyKey), ct);
                return Held(grown) with { Incremental = true };
            }

            var customer = await customers.FindAsync(r.CustomerId, ct);
            var replacement = Held(await stripe.V1.PaymentIntents.CreateAsync(NewHold(r.PaymentMethod, r.NewAmount, r.Currency, r.JobId, customer), Key(r.IdempotencyKey), ct));
            if (replacement.Succeeded && hold.Status == "requires_capture")
            {
                await CancelReplacedAsync(hold.Id, $"{r.IdempotencyKey}/void-replaced", ct);
            }

            return replacement;
        }, ct);

    /// <summary>An intent already captured (in the dashboard, or by a call whose key Stripe has forgotten after 24 h) counts as captured.</summary>
    public Task<GatewayResult> CaptureAsync(CaptureRequest r, CancellationToken ct) =>
        CallAsync(takesHold: false, async () =>
        {
            var intent = await AlreadyAsync(r.HoldId, "succeeded", () => stripe.V1.PaymentIntents.CaptureAsync(r.HoldId, new PaymentIntentCaptureOptions { AmountToCapture = r.Amount }, Key(r.IdempotencyKey), ct), ct);
            return intent.Status == "succeeded"
                ? new GatewayResult(GatewayOutcome.Succeeded, intent.Id, intent.AmountReceived)
                : GatewayResult.Failure(GatewayOutcome.Failed, $"payment_intent_{intent.Status}", $"Stripe left the payment {intent.Status}.");
        }, ct);

    /// <summary>An intent already cancelled (it lapsed, or was released in the dashboard) counts as voided.</summary>
    public Task<GatewayResult> VoidAsync(HoldRequest r, CancellationToken ct) =>
        CallAsync(takesHold: false, async () =>
        {
            var intent = await AlreadyAsync(r.HoldId, "canceled", () => stripe.V1.PaymentIntents.CancelAsync(r.HoldId, new PaymentIntentCancelOptions(), Key(r.IdempotencyKey), ct), ct);
            return new GatewayResult(GatewayOutcome.Succeeded, intent.Id, intent.Amount);
        }, ct);

    public Task<GatewayResult> RefundAsync(RefundRequest r, CancellationToken ct) =>
        CallAsync(takesHold: false, async () =>
        {
            var refund = await stripe.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = r.HoldId, Amount = r.Amount }, Key(r.IdempotencyKey), ct);
            return refund.Status is "failed" or "canceled"
                ? GatewayResult.Failure(GatewayOutcome.Failed, refund.FailureReason ?? "refund_failed", "Stripe could not refund the payment.")
                : new GatewayResult(GatewayOutcome.Succeeded, r.HoldId, refund.Amount);
        }, ct);

    /// <summary>
    /// Makes the call; when Stripe refuses it because the intent is not in a state for it, and the intent is already
    /// where the call would have put it, answers that intent instead.
    /// </summary>
    private async Task<PaymentIntent> AlreadyAsync(string holdId, string goal, Func<Task<PaymentIntent>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (StripeException e) when (e.StripeError?.Code == "payment_intent_unexpected_state")
        {
            var intent = await stripe.V1.PaymentIntents.GetAsync(holdId, null, null, ct);
            if (intent.Status != goal)
            {
                throw;
            }

            return intent;
        }
    }

    private static RequestOptions Key(string idempotencyKey) => new() { IdempotencyKey = idempotencyKey };

    /// <summary>A manual-capture intent confirmed at once on the saved card, asking for incremental authorization where the card allows it.</summary>
    private static PaymentIntentCreateOptions NewHold(string paymentMethod, long amount, string currency, string jobId, string? customer) => new()
    {
        Amount = amount,
        Currency = currency.ToLowerInvariant(),
        Customer = customer,
        PaymentMethod = paymentMethod,
        AllowedPaymentMethodTypes = ["card"],
        CaptureMethod = "manual",
        Confirm = true,
        OffSession = true,
        PaymentMethodOptions = new PaymentIntentPaymentMethodOptionsOptions
        {
            Card = new PaymentIntentPaymentMethodOptionsCardOptions { RequestIncrementalAuthorization = "if_available" },
        },
        Metadata = new Dictionary<string, string> { ["job_id"] = jobId },
        Expand = ["latest_charge"],
    };

    private static bool IncrementAvailable(PaymentIntent intent) =>
        intent.LatestCharge?.PaymentMethodDetails?.Card?.IncrementalAuthorization?.Status == "available";

    private GatewayResult Held(PaymentIntent intent)
    {
        if (intent.Status != "requires_capture")
        {
            // Off-session confirmation cannot ask the customer anything: an intent that needs them holds no money.
            return GatewayResult.Failure(GatewayOutcome.Declined, $"payment_intent_{intent.Status}", "The card needs the customer's attention; add the card again.");
        }

        var captureBefore = intent.LatestCharge?.PaymentMethodDetails?.Card?.CaptureBefore;
        var expiresAt = captureBefore is { } before && before > DateTime.UnixEpoch
            ? new DateTimeOffset(DateTime.SpecifyKind(before, DateTimeKind.Utc))
            : (intent.Created > DateTime.UnixEpoch ? new DateTimeOffset(DateTime.SpecifyKind(intent.Created, DateTimeKind.Utc)) : clock.GetUtcNow()) + DefaultHoldLifetime;
        return new GatewayResult(GatewayOutcome.Succeeded, intent.Id, intent.AmountCapturable > 0 ? intent.AmountCapturable : intent.Amount, expiresAt);
    }

    /// <summary>
    /// The replaced hold is released on a best-effort basis: the new hold already succeeded, and failing the whole
    /// call would leave that one unused. A hold that stays lapses at Stripe within days.
    /// </summary>
    private async Task CancelReplacedAsync(string holdId, string key, CancellationToken ct)
    {
        try
        {
            await stripe.V1.PaymentIntents.CancelAsync(holdId, new PaymentIntentCancelOptions(), Key(key), ct);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException)
        {
            log.LogWarning(e, "Could not release replaced Stripe hold {HoldId}; it will lapse by itself.", holdId);
        }
    }

    private async Task<GatewayResult> CallAsync(bool takesHold, Func<Task<GatewayResult>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (StripeException e)
        {
            var result = Outcome(e, takesHold);
            log.LogInformation("Stripe answered {Status} {Type}/{Code}: {Outcome}.", (int)e.HttpStatusCode, e.StripeError?.Type, e.StripeError?.Code, result.Outcome);
            return result;
        }
        catch (HttpRequestException e)
        {
            log.LogWarning(e, "Stripe could not be reached, even after retries.");
            return GatewayResult.Failure(GatewayOutcome.Unavailable, "network_error", "Stripe could not be reached.");
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Stripe did not answer in time, even after retries.");
            return GatewayResult.Failure(GatewayOutcome.Unavailable, "timeout", "Stripe did not answer in time.");
        }
    }

    /// <summary>
    /// Stripe's error answers as the contract's outcomes. A decline only counts as <see cref="GatewayOutcome.Declined"/>
    /// when a hold was being taken; a card error on capture is a failed capture.
    /// </summary>
    internal static GatewayResult Outcome(StripeException e, bool takesHold)
    {
        var error = e.StripeError;
        var code = error?.Code ?? error?.Type ?? "invalid_response";
        var message = error?.Message ?? e.Message;
        var status = (int)e.HttpStatusCode;
        if (error?.Type == "idempotency_error")
        {
            return GatewayResult.Failure(GatewayOutcome.IdempotencyMismatch, "idempotency_error", message);
        }

        // No error object: the answer was cut or garbled on the way, so what Stripe did is unknown.
        if (error is null || status is 409 or 429 or >= 500)
        {
            return GatewayResult.Failure(GatewayOutcome.Unavailable, code, message);
        }

        if (takesHold && error?.Type == "card_error" && error.Code == "card_declined")
        {
            return GatewayResult.Failure(GatewayOutcome.Declined, error.DeclineCode ?? code, message);
        }

        return GatewayResult.Failure(GatewayOutcome.Failed, code, message);
    }
}

/// <summary>
/// Stripe.net repeats a 429 only when Stripe adds <c>Stripe-Should-Retry: true</c> (lock timeouts). A rate-limited
/// request did nothing, so repeating it with the same idempotency key is safe: this marks such an answer retryable,
/// unless Stripe said otherwise, and Stripe.net's own loop (backoff, <c>MaxNetworkRetries</c>, the same headers) does the rest.
/// </summary>
public sealed class RateLimitedIsRetryable : DelegatingHandler
{
    public const string ShouldRetryHeader = "Stripe-Should-Retry";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && !response.Headers.Contains(ShouldRetryHeader))
        {
            response.Headers.TryAddWithoutValidation(ShouldRetryHeader, "true");
        }

        return response;
    }
}
