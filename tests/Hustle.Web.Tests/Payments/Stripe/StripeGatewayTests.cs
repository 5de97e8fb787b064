using Hustle.Web.Payments;
using Hustle.Web.Payments.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Web.Tests.Payments.Stripe;

/// <summary>The Stripe gateway, as Hustle's DI builds it, against the fake: the exact requests and Stripe's error answers.</summary>
public sealed class StripeGatewayTests(StripeFixture fixture) : IClassFixture<StripeFixture>
{
    private readonly FakeStripe _stripe = fixture.Stripe;
    private readonly IPaymentGateway _gateway = fixture.App.Services.GetRequiredService<IPaymentGateway>();
    private readonly CancellationToken _ct = CancellationToken.None;

    private static readonly string[] HoldForm =
    [
        "allowed_payment_method_types[0]=card",
        "amount=5000",
        "capture_method=manual",
        "confirm=true",
        "currency=usd",
        "expand[0]=latest_charge",
        "metadata[job_id]=job_g1",
        "off_session=true",
        "payment_method=pm_card_visa",
        "payment_method_options[card][request_incremental_authorization]=if_available",
    ];

    [Fact]
    public void Stripe_is_the_configured_gateway_and_takes_payment_method_ids()
    {
        Assert.IsType<StripeGateway>(_gateway);
        var rules = fixture.App.Services.GetRequiredService<IPaymentMethodRules>();
        Assert.True(rules.IsAcceptable("pm_1PqXyZ2eZvKYlo2C"));
        Assert.False(rules.IsAcceptable("card_visa"));
        Assert.False(rules.IsAcceptable("pm_bad id"));
    }

    [Fact]
    public async Task Authorize_creates_a_confirmed_manual_capture_intent_with_the_key()
    {
        _stripe.ClearRequests();
        var result = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 5000, "USD", "job_g1", "job/job_g1/authorize/off_1/v1/abc"), _ct);

        Assert.Equal(GatewayOutcome.Succeeded, result.Outcome);
        Assert.StartsWith("pi_fake", result.HoldId);
        Assert.Equal(5000, result.Amount);
        Assert.Equal(fixture.App.Clock.GetUtcNow().AddDays(7).ToUnixTimeSeconds(), result.HoldExpiresAt!.Value.ToUnixTimeSeconds());
        var request = Assert.Single(_stripe.Requests);
        Assert.Equal(("POST", "/v1/payment_intents", "job/job_g1/authorize/off_1/v1/abc"), (request.Method, request.Path, request.IdempotencyKey));
        Assert.Equal(HoldForm, request.Form);
        Assert.Equal("requires_capture", _stripe.Intent(result.HoldId!)["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Increase_increments_the_authorization_in_place_when_the_charge_allows_it()
    {
        var hold = await AuthorizeAsync("pm_card_visa", 5000);
        _stripe.ClearRequests();

        var result = await _gateway.IncreaseAsync(new ChangeAmountRequest(hold, "user-g1", "pm_card_visa", 7000, "USD", "job_g2", "job/job_g2/increase/prp_1"), _ct);

        Assert.Equal((GatewayOutcome.Succeeded, hold, 7000L, true), (result.Outcome, result.HoldId, result.Amount, result.Incremental));
        Assert.Equal(
            [
                $"GET /v1/payment_intents/{hold}?expand[0]=latest_charge [] key=",
                $"POST /v1/payment_intents/{hold}/increment_authorization [amount=7000, expand[0]=latest_charge] key=job/job_g2/increase/prp_1",
            ],
            _stripe.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Increase_without_incremental_support_takes_a_new_hold_then_cancels_the_old_one()
    {
        var old = await AuthorizeAsync("pm_card_noIncremental", 5000);
        _stripe.ClearRequests();

        var result = await _gateway.IncreaseAsync(new ChangeAmountRequest(old, "user-g1", "pm_card_noIncremental", 7000, "USD", "job_g3", "job/job_g3/increase/prp_2"), _ct);

        Assert.Equal((GatewayOutcome.Succeeded, 7000L, false), (result.Outcome, result.Amount, result.Incremental));
        Assert.NotEqual(old, result.HoldId);
        var requests = _stripe.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(("POST", "/v1/payment_intents", "job/job_g3/increase/prp_2"), (requests[1].Method, requests[1].Path, requests[1].IdempotencyKey));
        Assert.Contains("amount=7000", requests[1].Form);
        Assert.Equal($"POST /v1/payment_intents/{old}/cancel [] key=job/job_g3/increase/prp_2/void-replaced", requests[2].ToString());
        Assert.Equal("canceled", _stripe.Intent(old)["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Capture_of_less_than_the_hold_sends_amount_to_capture()
    {
        var hold = await AuthorizeAsync("pm_card_visa", 7000);
        _stripe.ClearRequests();

        var result = await _gateway.CaptureAsync(new CaptureRequest(hold, 6000, "job/job_g4/capture/v1"), _ct);

        Assert.Equal((GatewayOutcome.Succeeded, hold, 6000L), (result.Outcome, result.HoldId, result.Amount));
        Assert.Equal($"POST /v1/payment_intents/{hold}/capture [amount_to_capture=6000] key=job/job_g4/capture/v1", Assert.Single(_stripe.Requests).ToString());
    }

    [Fact]
    public async Task Void_cancels_the_intent_and_refund_refunds_it()
    {
        var voided = await AuthorizeAsync("pm_card_visa", 5000);
        var captured = await AuthorizeAsync("pm_card_visa", 5000);
        await _gateway.CaptureAsync(new CaptureRequest(captured, 5000, "job/job_g5/capture/v1"), _ct);
        _stripe.ClearRequests();

        var cancel = await _gateway.VoidAsync(new HoldRequest(voided, $"job/job_g5/void/{voided}"), _ct);
        var refund = await _gateway.RefundAsync(new RefundRequest(captured, 2000, $"job/job_g5/refund/{captured}/0"), _ct);

        Assert.Equal((GatewayOutcome.Succeeded, voided, 5000L), (cancel.Outcome, cancel.HoldId, cancel.Amount));
        Assert.True(refund.Succeeded, $"{refund.FailureCode}: {refund.FailureMessage}");
        Assert.Equal((GatewayOutcome.Succeeded, captured, 2000L), (refund.Outcome, refund.HoldId, refund.Amount));
        Assert.Equal(
            [
                $"POST /v1/payment_intents/{voided}/cancel [] key=job/job_g5/void/{voided}",
                $"POST /v1/refunds [amount=2000, payment_intent={captured}] key=job/job_g5/refund/{captured}/0",
            ],
            _stripe.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public async Task A_hold_already_captured_or_released_at_Stripe_counts_as_captured_or_voided()
    {
        var captured = await AuthorizeAsync("pm_card_visa", 5000);
        await _gateway.CaptureAsync(new CaptureRequest(captured, 4000, "dashboard/capture"), _ct);
        var released = await AuthorizeAsync("pm_card_visa", 5000);
        await _gateway.VoidAsync(new HoldRequest(released, "dashboard/cancel"), _ct);

        var capture = await _gateway.CaptureAsync(new CaptureRequest(captured, 5000, "job/job_g12/capture/v1"), _ct);
        var cancel = await _gateway.VoidAsync(new HoldRequest(released, $"job/job_g12/void/{released}"), _ct);
        var voidCaptured = await _gateway.VoidAsync(new HoldRequest(captured, $"job/job_g12/void/{captured}"), _ct);

        Assert.Equal((GatewayOutcome.Succeeded, 4000L), (capture.Outcome, capture.Amount));
        Assert.Equal((GatewayOutcome.Succeeded, 5000L), (cancel.Outcome, cancel.Amount));
        Assert.Equal((GatewayOutcome.Failed, "payment_intent_unexpected_state"), (voidCaptured.Outcome, voidCaptured.FailureCode));
        Assert.Equal(4000, _stripe.Intent(captured)["amount_received"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_declined_card_is_Declined_at_authorization_and_Failed_at_capture()
    {
        var declined = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_chargeDeclined", 5000, "USD", "job_g6", "job/job_g6/authorize/a"), _ct);
        var hold = await AuthorizeAsync("pm_card_captureFails", 5000);
        var capture = await _gateway.CaptureAsync(new CaptureRequest(hold, 5000, "job/job_g6/capture/v1"), _ct);

        Assert.Equal((GatewayOutcome.Declined, null, "generic_decline"), (declined.Outcome, declined.HoldId, declined.FailureCode));
        Assert.Equal(GatewayOutcome.Failed, capture.Outcome);
    }

    [Fact]
    public async Task A_repeated_key_replays_the_first_answer_and_a_reused_key_with_other_parameters_is_a_mismatch()
    {
        var before = _stripe.IntentCount;
        var first = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 5000, "USD", "job_g7", "job/job_g7/authorize/x"), _ct);
        var repeat = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 5000, "USD", "job_g7", "job/job_g7/authorize/x"), _ct);
        var other = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 9000, "USD", "job_g7", "job/job_g7/authorize/x"), _ct);

        Assert.Equal(first.HoldId, repeat.HoldId);
        Assert.Equal(before + 1, _stripe.IntentCount);
        Assert.Equal((GatewayOutcome.IdempotencyMismatch, "idempotency_error"), (other.Outcome, other.FailureCode));
    }

    [Fact]
    public async Task A_rate_limited_request_is_retried_by_StripeNet_with_the_same_key()
    {
        _stripe.ClearRequests();
        _stripe.RateLimitNext();

        var result = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 5000, "USD", "job_g8", "job/job_g8/authorize/r"), _ct);

        Assert.Equal(GatewayOutcome.Succeeded, result.Outcome);
        var requests = _stripe.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("job/job_g8/authorize/r", r.IdempotencyKey));
        Assert.Equal(requests[0].Form, requests[1].Form);
    }

    [Fact]
    public async Task A_capture_whose_answer_was_lost_is_retried_with_the_same_key_and_captures_once()
    {
        var hold = await AuthorizeAsync("pm_card_visa", 5000);
        _stripe.ClearRequests();
        fixture.App.Network.LoseNextAnswer();

        var result = await _gateway.CaptureAsync(new CaptureRequest(hold, 5000, "job/job_g9/capture/v1"), _ct);

        Assert.Equal((GatewayOutcome.Succeeded, 5000L), (result.Outcome, result.Amount));
        var requests = _stripe.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(($"/v1/payment_intents/{hold}/capture", "job/job_g9/capture/v1"), (r.Path, r.IdempotencyKey)));
        Assert.Equal(5000, _stripe.Intent(hold)["amount_received"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_WireMock_fault_is_retried_with_the_same_key()
    {
        _stripe.ClearRequests();
        _stripe.FaultNext();

        var result = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 5000, "USD", "job_g11", "job/job_g11/authorize/f"), _ct);

        Assert.Equal(GatewayOutcome.Succeeded, result.Outcome);
        var requests = _stripe.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("job/job_g11/authorize/f", r.IdempotencyKey));
    }

    [Fact]
    public async Task Failures_that_outlast_the_retries_are_Unavailable_and_a_later_repeat_of_the_key_holds_once()
    {
        var before = _stripe.IntentCount;
        _stripe.ClearRequests();
        fixture.App.Network.LoseNextAnswer(2);
        var lost = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 5000, "USD", "job_g10", "job/job_g10/authorize/n"), _ct);
        _stripe.RateLimitNext(2);
        var limited = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 5000, "USD", "job_g10", "job/job_g10/authorize/n"), _ct);
        _stripe.FaultNext(status: null);
        var garbled = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 5000, "USD", "job_g10", "job/job_g10/authorize/n"), _ct);
        var repeated = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", "pm_card_visa", 5000, "USD", "job_g10", "job/job_g10/authorize/n"), _ct);

        Assert.Equal((GatewayOutcome.Unavailable, "network_error"), (lost.Outcome, lost.FailureCode));
        Assert.Equal((GatewayOutcome.Unavailable, "rate_limit"), (limited.Outcome, limited.FailureCode));
        Assert.Equal((GatewayOutcome.Unavailable, "invalid_response"), (garbled.Outcome, garbled.FailureCode));
        Assert.Equal(GatewayOutcome.Succeeded, repeated.Outcome);
        Assert.Equal(before + 1, _stripe.IntentCount);
        Assert.Equal(6, _stripe.Requests.Count);
        Assert.All(_stripe.Requests, r => Assert.Equal("job/job_g10/authorize/n", r.IdempotencyKey));
    }

    private async Task<string> AuthorizeAsync(string paymentMethod, long amount)
    {
        var result = await _gateway.AuthorizeAsync(new AuthorizeRequest("user-g1", paymentMethod, amount, "USD", "job_setup", $"setup/{Guid.NewGuid():N}"), _ct);
        Assert.True(result.Succeeded, result.FailureMessage);
        return result.HoldId!;
    }
}
