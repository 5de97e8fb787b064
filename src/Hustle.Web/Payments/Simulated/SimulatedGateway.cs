using System.Data;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hustle.Web.Payments.Simulated;

/// <summary><c>Hustle:Payments:Simulated</c>.</summary>
public sealed class SimulatedPaymentOptions
{
    public const string Section = "Hustle:Payments:Simulated";

    /// <summary>How long an uncaptured hold lives before it lapses, as Stripe's do (about 7 days); holds are renewed a day before.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "1.00:00:01", "365.00:00:00")]
    public TimeSpan HoldLifetime { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// A payment provider that behaves like Stripe's manual-capture PaymentIntents, kept in Hustle's own database so
/// a restart loses nothing. Test payment methods, in the spirit of Stripe's test cards:
/// <c>pm_card_visa</c> works (and supports incremental authorization), <c>pm_card_noIncremental</c> works but a
/// larger amount needs a new hold, <c>pm_card_chargeDeclined</c> is declined at authorization, and
/// <c>pm_card_captureFails</c> authorizes but fails at capture. Each call runs in one transaction together with
/// the record of its idempotency key: a replay returns the first answer, the same key with other parameters is
/// refused, and two racing calls with one key move money once.
/// </summary>
public sealed class SimulatedGateway(IDbContextFactory<HustleDb> contexts, IWriteTransactions transactions, TimeProvider clock, IOptions<SimulatedPaymentOptions> options) : IPaymentGateway, IPaymentMethodRules
{
    public const string Visa = "pm_card_visa";
    public const string NoIncremental = "pm_card_noIncremental";
    public const string ChargeDeclined = "pm_card_chargeDeclined";
    public const string CaptureFails = "pm_card_captureFails";

    private static readonly string[] Methods = [Visa, NoIncremental, ChargeDeclined, CaptureFails];

    public string Name => "simulated";

    public bool IsAcceptable(string paymentMethod) => Methods.Contains(paymentMethod);

    public string Describe() => $"paymentMethod must be one of the simulated test cards: {string.Join(", ", Methods)}.";

    public Task<GatewayResult> AuthorizeAsync(AuthorizeRequest r, CancellationToken ct) =>
        RunAsync(r.IdempotencyKey, $"authorize|{r.CustomerId}|{r.PaymentMethod}|{r.Amount}|{r.Currency}|{r.JobId}", db => Task.FromResult(Authorize(db, r.CustomerId, r.PaymentMethod, r.Amount, r.Currency, r.JobId)), ct);

    public Task<GatewayResult> IncreaseAsync(ChangeAmountRequest r, CancellationToken ct) =>
        RunAsync(r.IdempotencyKey, $"increase|{r.HoldId}|{r.PaymentMethod}|{r.NewAmount}|{r.ForceNewHold}", async db =>
        {
            // A new hold does not need the old one: only an incremental authorization does.
            var hold = await FindLiveAsync(db, r.HoldId, ct);
            if (hold is null && !r.ForceNewHold)
            {
                return GatewayResult.Failure(GatewayOutcome.Failed, "payment_intent_unexpected_state", "The hold is no longer open.");
            }

            if (!r.ForceNewHold && hold!.PaymentMethod == r.PaymentMethod && hold.PaymentMethod != NoIncremental && r.NewAmount >= hold.Amount)
            {
                hold.Amount = r.NewAmount;
                return new GatewayResult(GatewayOutcome.Succeeded, hold.Id, hold.Amount, hold.ExpiresAt, Incremental: true);
            }

            var replacement = Authorize(db, r.CustomerId, r.PaymentMethod, r.NewAmount, r.Currency, r.JobId);
            if (replacement.Succeeded && hold is not null)
            {
                hold.Status = SimulatedHoldStatus.Canceled;
            }

            return replacement;
        }, ct);

    public Task<GatewayResult> CaptureAsync(CaptureRequest r, CancellationToken ct) =>
        RunAsync(r.IdempotencyKey, $"capture|{r.HoldId}|{r.Amount}", async db =>
        {
            var hold = await FindLiveAsync(db, r.HoldId, ct);
            if (hold is null)
            {
                return GatewayResult.Failure(GatewayOutcome.Failed, "payment_intent_unexpected_state", "The hold has lapsed or was released; authorize again.");
            }

            if (r.Amount < 1 || r.Amount > hold.Amount)
            {
                return GatewayResult.Failure(GatewayOutcome.Failed, "amount_too_large", $"Cannot capture {r.Amount}: {hold.Amount} is authorized.");
            }

            if (hold.PaymentMethod == CaptureFails)
            {
                return GatewayResult.Failure(GatewayOutcome.Failed, "capture_failed", "The card issuer refused the capture.");
            }

            hold.Captured = r.Amount;
            hold.Status = SimulatedHoldStatus.Captured;
            return new GatewayResult(GatewayOutcome.Succeeded, hold.Id, r.Amount);
        }, ct);

    public Task<GatewayResult> VoidAsync(HoldRequest r, CancellationToken ct) =>
        RunAsync(r.IdempotencyKey, $"void|{r.HoldId}", async db =>
        {
            var hold = await FindLiveAsync(db, r.HoldId, ct);
            if (hold is null)
            {
                var gone = await db.Set<SimulatedHold>().FirstOrDefaultAsync(h => h.Id == r.HoldId, ct);
                return gone is { Status: SimulatedHoldStatus.Lapsed or SimulatedHoldStatus.Canceled }
                    ? new GatewayResult(GatewayOutcome.Succeeded, gone.Id, 0)
                    : GatewayResult.Failure(GatewayOutcome.Failed, "payment_intent_unexpected_state", "Only an uncaptured hold can be voided.");
            }

            hold.Status = SimulatedHoldStatus.Canceled;
            return new GatewayResult(GatewayOutcome.Succeeded, hold.Id, hold.Amount);
        }, ct);

    public Task<GatewayResult> RefundAsync(RefundRequest r, CancellationToken ct) =>
        RunAsync(r.IdempotencyKey, $"refund|{r.HoldId}|{r.Amount}", async db =>
        {
            var hold = await db.Set<SimulatedHold>().FirstOrDefaultAsync(h => h.Id == r.HoldId, ct);
            if (hold is not { Status: SimulatedHoldStatus.Captured } || r.Amount < 1 || r.Amount > hold.Captured - hold.Refunded)
            {
                return GatewayResult.Failure(GatewayOutcome.Failed, "charge_not_refundable", "Nothing (or less) is left to refund.");
            }

            hold.Refunded += r.Amount;
            return new GatewayResult(GatewayOutcome.Succeeded, hold.Id, r.Amount);
        }, ct);

    private GatewayResult Authorize(HustleDb db, string customerId, string paymentMethod, long amount, string currency, string jobId)
    {
        if (paymentMethod == ChargeDeclined || !IsAcceptable(paymentMethod))
        {
            return GatewayResult.Failure(GatewayOutcome.Declined, "card_declined", "Your card was declined.");
        }

        var now = clock.GetUtcNow();
        var hold = new SimulatedHold
        {
            Id = Ids.New("pi_sim"),
            CustomerId = customerId,
            PaymentMethod = paymentMethod,
            Currency = currency,
            JobId = jobId,
            Amount = amount,
            Status = SimulatedHoldStatus.RequiresCapture,
            CreatedAt = now,
            ExpiresAt = now + options.Value.HoldLifetime,
        };
        db.Add(hold);
        return new GatewayResult(GatewayOutcome.Succeeded, hold.Id, amount, hold.ExpiresAt);
    }

    /// <summary>An uncaptured hold that has not lapsed; a lapsed one is marked so on the way.</summary>
    private async Task<SimulatedHold?> FindLiveAsync(HustleDb db, string holdId, CancellationToken ct)
    {
        var hold = await db.Set<SimulatedHold>().FirstOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is { Status: SimulatedHoldStatus.RequiresCapture } && hold.ExpiresAt <= clock.GetUtcNow())
        {
            hold.Status = SimulatedHoldStatus.Lapsed;
        }

        return hold is { Status: SimulatedHoldStatus.RequiresCapture } ? hold : null;
    }

    private async Task<GatewayResult> RunAsync(string key, string request, Func<HustleDb, Task<GatewayResult>> operation, CancellationToken ct)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request)));
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            // Serializable: two calls that read the same hold and both change it (a capture racing a void) cannot both
            // commit. Under PostgreSQL's default (read committed) the later one would overwrite the earlier and both
            // would "succeed"; SQLite's transactions are serializable anyway.
            await using var transaction = await transactions.BeginAsync(db, IsolationLevel.Serializable, ct);
            try
            {
                var seen = await db.Set<SimulatedIdempotencyKey>().AsNoTracking().FirstOrDefaultAsync(k => k.Key == key, ct);
                if (seen is not null)
                {
                    return seen.RequestHash == hash
                        ? JsonSerializer.Deserialize<GatewayResult>(seen.Result, Json.Options)!
                        : GatewayResult.Failure(GatewayOutcome.IdempotencyMismatch, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.");
                }

                var result = await operation(db);
                db.Add(new SimulatedIdempotencyKey { Key = key, RequestHash = hash, Result = JsonSerializer.Serialize(result, Json.Options), CreatedAt = clock.GetUtcNow() });
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync();
                return result;
            }
            catch (Exception e) when (attempt < MaxAttempts && IsLostRace(e))
            {
                // Another call with the same key, or on the same hold, committed first: start over and see what it did.
                // Twenty racing accepts on PostgreSQL lose many rounds of serializable conflicts; a short random
                // pause spreads the retries out.
            }

            await Task.Delay(Random.Shared.Next(1, 4 * attempt), ct);
        }
    }

    private const int MaxAttempts = 40;

    private static bool IsLostRace(Exception e) =>
        !ProblemExceptionHandler.IsDatabaseUnavailable(e)
        && (e is DbUpdateException || HasSqlState(e, PostgresErrorCodes.SerializationFailure) || HasSqlState(e, PostgresErrorCodes.DeadlockDetected));

    private static bool HasSqlState(Exception? e, string state) =>
        e is not null && (e is PostgresException pg && pg.SqlState == state || HasSqlState(e.InnerException, state));
}
