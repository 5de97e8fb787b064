using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using Hustle.Domain.Jobs;
using static Hustle.Domain.Tests.Jobs.Situations;

namespace Hustle.Domain.Tests.Jobs;

/// <summary>Start and completion codes (docs/ARCHITECTURE.md, "Codes"): constant-time comparison, five tries, a 15-minute lock.</summary>
public class CodeTests
{
    private static readonly DateTimeOffset Now = WorkDay;

    [Fact]
    public void Codes_are_compared_with_a_constant_time_comparison_and_never_with_string_equality()
    {
        var check = typeof(Job).GetMethod("CheckCode", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var called = MethodsCalledBy(check);

        Assert.Contains(called, m => m.DeclaringType == typeof(CryptographicOperations) && m.Name == nameof(CryptographicOperations.FixedTimeEquals));
        Assert.DoesNotContain(called, m => m.DeclaringType == typeof(string) && m.Name is "Equals" or "op_Equality" or "op_Inequality" or "CompareTo" or "Compare" or "CompareOrdinal");
        Assert.DoesNotContain(called, m => m.Name == "SequenceEqual");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Five_wrong_codes_lock_the_code_for_15_minutes_and_tell_the_customer(bool startCode)
    {
        var job = JobAwaiting(startCode);
        var status = job.Status;
        for (var wrong = 1; wrong < Job.MaxCodeTries; wrong++)
        {
            var check = Enter(job, startCode, "000000", Now.AddMinutes(wrong));
            Assert.Equal(new CodeCheck(CodeCheckOutcome.Wrong, Job.MaxCodeTries - wrong, null), check);
            Assert.Equal(status, job.Status);
        }

        Assert.Empty(job.NewEvents);
        var lockedAt = Now.AddMinutes(Job.MaxCodeTries);
        var fifth = Enter(job, startCode, "999999", lockedAt);

        Assert.Equal(new CodeCheck(CodeCheckOutcome.LockedNow, 0, lockedAt + TimeSpan.FromMinutes(15)), fifth);
        Assert.Equal(lockedAt.AddMinutes(15), startCode ? job.StartCodeLockedUntil : job.CompletionCodeLockedUntil);
        Assert.Equal(status, job.Status);
        var told = Assert.Single(job.NewEvents);
        Assert.Equal(EventTypes.CodeLocked, told.Type);
        Assert.Equal([Customer, Hustler], told.Recipients);
        Assert.Equal(startCode ? "START" : "COMPLETION", told.Data["code"]);
        Assert.Equal(lockedAt.AddMinutes(15), told.Data["lockedUntil"]);
        var line = Assert.Single(job.NewHistory);
        Assert.Equal(("CODE_LOCKED", Hustler), (line.Action, line.Actor));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_locked_code_refuses_even_the_right_code_until_15_minutes_have_passed_and_then_accepts_it(bool startCode)
    {
        var job = JobAwaiting(startCode);
        var status = job.Status;
        var lockedUntil = LockOut(job, startCode);
        var right = startCode ? StartCode : CompletionCode;
        var before = Snapshot(job);

        var early = Enter(job, startCode, right, lockedUntil.AddSeconds(-1));

        Assert.Equal(new CodeCheck(CodeCheckOutcome.StillLocked, 0, lockedUntil), early);
        Assert.Equal(before, Snapshot(job));

        var onTime = Enter(job, startCode, right, lockedUntil);

        Assert.Equal(CodeCheckOutcome.Accepted, onTime.Outcome);
        Assert.Equal(startCode ? JobStatus.InProgress : JobStatus.CompletedByHustler, job.Status);
        Assert.NotEqual(status, job.Status);
        Assert.Equal((0, (DateTimeOffset?)null), startCode ? (job.StartCodeFailures, job.StartCodeLockedUntil) : (job.CompletionCodeFailures, job.CompletionCodeLockedUntil));
    }

    [Fact]
    public void When_a_lock_ends_the_hustler_has_five_fresh_tries()
    {
        var job = JobAwaiting(startCode: true);
        var lockedUntil = LockOut(job, startCode: true);

        var check = job.VerifyStartCode(User(Hustler), "000000", lockedUntil.AddMinutes(1));

        Assert.Equal(new CodeCheck(CodeCheckOutcome.Wrong, Job.MaxCodeTries - 1, null), check);
        Assert.Equal(JobStatus.Scheduled, job.Status);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("")]
    [InlineData("654321")]
    public void Only_the_exact_start_code_starts_the_job(string entered)
    {
        var job = JobAwaiting(startCode: true);

        Assert.Equal(CodeCheckOutcome.Wrong, job.VerifyStartCode(User(Hustler), entered, Now).Outcome);
        Assert.Equal(JobStatus.Scheduled, job.Status);
        Assert.False(job.StartCodeVerified);
    }

    [Fact]
    public void A_wrong_try_is_recorded_on_the_job_so_it_survives_a_reload()
    {
        var job = JobAwaiting(startCode: true);
        var version = job.Version;

        job.VerifyStartCode(User(Hustler), "000000", Now);

        Assert.Equal(1, job.StartCodeFailures);
        Assert.Equal(version + 1, job.Version);
    }

    private static Job JobAwaiting(bool startCode)
    {
        var job = Build(startCode ? Situation.ScheduledHustlerProposedPrice : Situation.InProgress);
        job.ClearRecorded();
        return job;
    }

    private static CodeCheck Enter(Job job, bool startCode, string code, DateTimeOffset now) =>
        startCode ? job.VerifyStartCode(User(Hustler), code, now) : job.VerifyCompletionCode(User(Hustler), code, now);

    private static DateTimeOffset LockOut(Job job, bool startCode)
    {
        CodeCheck check = new(CodeCheckOutcome.Wrong, 0, null);
        for (var i = 0; i < Job.MaxCodeTries; i++)
        {
            check = Enter(job, startCode, "000000", Now);
        }

        Assert.Equal(CodeCheckOutcome.LockedNow, check.Outcome);
        return check.LockedUntil!.Value;
    }

    /// <summary>The methods a method's IL calls, read instruction by instruction.</summary>
    private static List<MethodBase> MethodsCalledBy(MethodInfo method)
    {
        var oneByte = new Dictionary<short, OpCode>();
        var twoByte = new Dictionary<short, OpCode>();
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)field.GetValue(null)!;
            (op.Size == 1 ? oneByte : twoByte)[op.Value] = op;
        }

        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var called = new List<MethodBase>();
        for (var i = 0; i < il.Length;)
        {
            var op = il[i] == 0xFE ? twoByte[(short)(0xFE00 | il[i + 1])] : oneByte[il[i]];
            i += op.Size;
            var operandSize = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
            if (op.OperandType == OperandType.InlineMethod)
            {
                called.Add(method.Module.ResolveMethod(BitConverter.ToInt32(il, i))!);
            }

            i += operandSize;
        }

        return called;
    }
}
