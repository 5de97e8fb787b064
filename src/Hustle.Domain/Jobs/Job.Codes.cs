using System.Security.Cryptography;
using System.Text;

namespace Hustle.Domain.Jobs;

/// <summary>The start and completion codes the customer holds: checked in constant time, five tries, then a lockout.</summary>
public sealed partial class Job
{
    public CodeCheck VerifyStartCode(Actor hustler, string code, DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.VerifyStartCode, RoleIn(hustler));
        var check = CheckCode(code, StartCode!, isStart: true, now);
        if (check.Outcome == CodeCheckOutcome.Accepted)
        {
            StartCodeVerified = true;
            StartedAt = now;
            ClosePendingProposal(ProposalStatus.Superseded, now);
            Apply(row, hustler, now, null, new() { ["startedAt"] = now }, EventTypes.JobStarted, [CustomerId, HustlerId!]);
        }

        return check;
    }

    public CodeCheck VerifyCompletionCode(Actor hustler, string code, DateTimeOffset now)
    {
        var row = EnsureAllowed(JobAction.VerifyCompletionCode, RoleIn(hustler));
        var check = CheckCode(code, CompletionCode!, isStart: false, now);
        if (check.Outcome != CodeCheckOutcome.Accepted)
        {
            return check;
        }

        CompletionCodeVerified = true;
        CompletedAt = now;
        if (PricingType == PricingType.Hourly)
        {
            var worked = now - StartedAt!.Value;
            var increments = (int)Math.Ceiling(worked.TotalMinutes / BillingIncrement.TotalMinutes);
            BilledMinutes = Math.Min(Math.Max(increments, 1) * (int)BillingIncrement.TotalMinutes, EstimatedMinutes!.Value);
            FinalAmount = HoursCost(HourlyRate!.Value, BilledMinutes.Value);
        }
        else
        {
            FinalAmount = Amount;
        }

        Apply(row, hustler, now, null, new() { ["completedAt"] = now, ["finalAmount"] = FinalAmount, ["billedMinutes"] = BilledMinutes }, EventTypes.JobCompleted, [CustomerId, HustlerId!]);
        if (PricingType == PricingType.Flat)
        {
            RequestPayment(Actor.System, null, now);
        }

        return check;
    }

    private CodeCheck CheckCode(string entered, string expected, bool isStart, DateTimeOffset now)
    {
        var lockedUntil = isStart ? StartCodeLockedUntil : CompletionCodeLockedUntil;
        if (lockedUntil is { } until && now < until)
        {
            return new CodeCheck(CodeCheckOutcome.StillLocked, 0, until);
        }

        var failures = lockedUntil is null ? (isStart ? StartCodeFailures : CompletionCodeFailures) : 0;
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(entered), Encoding.UTF8.GetBytes(expected)))
        {
            SetCodeState(isStart, 0, null);
            return new CodeCheck(CodeCheckOutcome.Accepted, MaxCodeTries, null);
        }

        failures++;
        Touch(now);
        if (failures < MaxCodeTries)
        {
            SetCodeState(isStart, failures, null);
            return new CodeCheck(CodeCheckOutcome.Wrong, MaxCodeTries - failures, null);
        }

        var lockEnd = now + CodeLockout;
        SetCodeState(isStart, failures, lockEnd);
        var which = isStart ? "START" : "COMPLETION";
        _newHistory.Add(new JobHistoryEntry(Id, now, HustlerId!, "CODE_LOCKED", Status, Status, $"{which} code locked after {MaxCodeTries} wrong tries"));
        Emit(EventTypes.CodeLocked, [CustomerId, HustlerId!], new() { ["code"] = which, ["lockedUntil"] = lockEnd });
        return new CodeCheck(CodeCheckOutcome.LockedNow, 0, lockEnd);
    }

    private void SetCodeState(bool isStart, int failures, DateTimeOffset? lockedUntil)
    {
        if (isStart)
        {
            StartCodeFailures = failures;
            StartCodeLockedUntil = lockedUntil;
        }
        else
        {
            CompletionCodeFailures = failures;
            CompletionCodeLockedUntil = lockedUntil;
        }
    }

    private void ResetCodeTries()
    {
        StartCodeFailures = CompletionCodeFailures = 0;
        StartCodeLockedUntil = CompletionCodeLockedUntil = null;
    }
}
