using Hustle.Domain.Jobs;

namespace Hustle.Domain.Tests.Jobs;

/// <summary>A job past its expiry is closed to offers and acceptance before any sweep marks it EXPIRED.</summary>
public sealed class ExpiryTests
{
    private static readonly DateTimeOffset Posted = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expiry = Posted.AddDays(7);

    [Fact]
    public void An_offer_at_or_after_the_expiry_time_is_refused_and_changes_nothing()
    {
        var job = Post();
        var versionBefore = job.Version;

        var refusal = Assert.Throws<JobRuleException>(() => job.MakeOffer("off_late", Actor.User("hustler"), null, null, Expiry));

        Assert.Equal("invalid_transition", refusal.Error.Code);
        Assert.Equal((JobStatus.Open, versionBefore, 0), (job.Status, job.Version, job.Offers.Count));
    }

    [Fact]
    public void Accepting_after_the_expiry_time_is_refused_and_the_offer_stays_pending()
    {
        var job = Post();
        var offer = job.MakeOffer("off_1", Actor.User("hustler"), null, null, Expiry.AddMinutes(-1));

        var refusal = Assert.Throws<JobRuleException>(() => job.AcceptOffer(offer.Id, Actor.User("customer"), 5000, "123456", "654321", Expiry.AddSeconds(1)));

        Assert.Equal("invalid_transition", refusal.Error.Code);
        Assert.Equal((JobStatus.Requested, OfferStatus.Pending, null), (job.Status, offer.Status, job.HustlerId));
    }

    private static Job Post() => Job.Post("job_1", "customer", new JobDraft("Paint the fence", "", "Hackney", "1 Mare St", PricingType.Flat, 5000, null, null, "GBP", null, Expiry), Posted);
}
