using System.Collections;
using System.Reflection;
using System.Text;
using Hustle.Domain.Jobs;

namespace Hustle.Domain.Tests.Jobs;

/// <summary>A job somewhere in its life. Every one is reached through <see cref="Job"/>'s public methods only.</summary>
public enum Situation
{
    Open,
    RequestedOneOffer,
    RequestedTwoOffers,
    ScheduledHustlerProposedPrice,
    ScheduledCustomerProposedPrice,
    InProgress,
    CompletedByHustler,
    AwaitingCustomerConfirm,
    AwaitingCustomerConfirmDisputed,
    Paid,
    CancelledBeforeAssignment,
    CancelledAfterDispute,
    Expired,
}

/// <summary>The people around a job, the codes the tests hand out, and jobs built to each <see cref="Situation"/>.</summary>
public static class Situations
{
    public const string Customer = "user_customer";
    public const string Hustler = "user_hustler";
    public const string OtherHustler = "user_other_hustler";
    public const string Outsider = "user_outsider";
    public const string OperatorId = "user_operator";
    public const string StartCode = "123456";
    public const string CompletionCode = "654321";
    public const string HustlerOffer = "off_hustler";
    public const string OtherOffer = "off_other";

    public static readonly DateTimeOffset PostedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>The day work starts; the job is scheduled well before.</summary>
    public static readonly DateTimeOffset WorkDay = PostedAt.AddDays(1);

    public static Actor User(string id) => Actor.User(id);

    public static Job PostHourly(long hourlyRate = 4000, int estimatedMinutes = 180) =>
        Job.Post("job_hourly", Customer, new JobDraft("Garden work", "Weeding", "Sunset", "9 Irving St", PricingType.Hourly, null, hourlyRate, estimatedMinutes, "USD", null, PostedAt + Lifetime), PostedAt);

    public static Job PostFlat(long amount = 5000) =>
        Job.Post("job_flat", Customer, new JobDraft("Fix the sink", "Leaks", "Mission", "123 Valencia St", PricingType.Flat, amount, null, null, "USD", null, PostedAt + Lifetime), PostedAt);

    /// <summary>The hustler's offer accepted with the known codes; nothing else happened.</summary>
    public static Job Schedule(Job job, long? proposedAmount = null)
    {
        job.MakeOffer(HustlerOffer, User(Hustler), proposedAmount, "I can do it", PostedAt.AddMinutes(1));
        job.AcceptOffer(HustlerOffer, User(Customer), job.AmountToAuthorizeFor(HustlerOffer), StartCode, CompletionCode, PostedAt.AddMinutes(2));
        return job;
    }

    /// <summary>An hourly job (so completion stops at COMPLETED_BY_HUSTLER) in <paramref name="situation"/>.</summary>
    public static Job Build(Situation situation)
    {
        var job = PostHourly();
        if (situation == Situation.Open)
        {
            return job;
        }

        job.MakeOffer(HustlerOffer, User(Hustler), null, "I can do it", PostedAt.AddMinutes(1));
        if (situation == Situation.RequestedOneOffer)
        {
            return job;
        }

        if (situation == Situation.Expired)
        {
            job.Expire(PostedAt + Lifetime);
            return job;
        }

        job.MakeOffer(OtherOffer, User(OtherHustler), null, "Me too", PostedAt.AddMinutes(2));
        switch (situation)
        {
            case Situation.RequestedTwoOffers:
                return job;
            case Situation.CancelledBeforeAssignment:
                job.Cancel(User(Customer), "Found someone else", PostedAt.AddMinutes(3));
                return job;
        }

        job.AcceptOffer(HustlerOffer, User(Customer), job.AmountToAuthorizeFor(HustlerOffer), StartCode, CompletionCode, PostedAt.AddMinutes(3));
        switch (situation)
        {
            case Situation.ScheduledHustlerProposedPrice:
                job.ProposePrice("prp_hustler", User(Hustler), null, 4500, PostedAt.AddMinutes(4));
                return job;
            case Situation.ScheduledCustomerProposedPrice:
                job.ProposePrice("prp_customer", User(Customer), null, 3500, PostedAt.AddMinutes(4));
                return job;
        }

        Assert.Equal(CodeCheckOutcome.Accepted, job.VerifyStartCode(User(Hustler), StartCode, WorkDay).Outcome);
        if (situation == Situation.InProgress)
        {
            return job;
        }

        Assert.Equal(CodeCheckOutcome.Accepted, job.VerifyCompletionCode(User(Hustler), CompletionCode, WorkDay.AddHours(2).AddMinutes(7)).Outcome);
        if (situation == Situation.CompletedByHustler)
        {
            return job;
        }

        job.RequestPayment(User(Hustler), null, WorkDay.AddHours(3));
        switch (situation)
        {
            case Situation.AwaitingCustomerConfirm:
                return job;
            case Situation.Paid:
                job.MarkPaid(User(Customer), job.FinalAmount!.Value, "pi_test", WorkDay.AddHours(4));
                return job;
        }

        job.Dispute(User(Customer), "The hedge is still there", WorkDay.AddHours(4));
        if (situation == Situation.AwaitingCustomerConfirmDisputed)
        {
            return job;
        }

        job.ResolveDisputeByCancelling(Actor.Operator(OperatorId), "Refunded by agreement", WorkDay.AddHours(5));
        Assert.Equal(Situation.CancelledAfterDispute, situation);
        return job;
    }

    /// <summary>
    /// Everything observable about a job as text: every public scalar of the job, its offers, its proposals, and
    /// the history lines and events it recorded. Equal snapshots mean an attempt left the job exactly as it was.
    /// </summary>
    public static string Snapshot(Job job)
    {
        var text = new StringBuilder();
        Scalars(text, "job", job);
        foreach (var offer in job.Offers)
        {
            Scalars(text, "offer", offer);
        }

        foreach (var proposal in job.PriceProposals)
        {
            Scalars(text, "proposal", proposal);
        }

        foreach (var line in job.NewHistory)
        {
            Scalars(text, "history", line);
        }

        foreach (var e in job.NewEvents)
        {
            text.Append($"event {e.Type} {e.JobId} to [{string.Join(",", e.Recipients)}] ")
                .Append(string.Join(",", e.Data.Select(kv => $"{kv.Key}={kv.Value}")))
                .Append(" customerOnly ")
                .AppendLine(string.Join(",", (e.CustomerOnly ?? new Dictionary<string, object?>()).Select(kv => $"{kv.Key}={kv.Value}")));
        }

        return text.ToString();
    }

    private static void Scalars(StringBuilder text, string label, object thing)
    {
        text.Append(label).Append(':');
        foreach (var property in thing.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var value = property.GetValue(thing);
            if (value is string or null || value is not IEnumerable && property.PropertyType.IsValueType)
            {
                text.Append(' ').Append(property.Name).Append('=').Append(value);
            }
        }

        text.AppendLine();
    }
}
