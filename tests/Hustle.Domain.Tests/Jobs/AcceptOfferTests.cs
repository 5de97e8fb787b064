using Hustle.Domain.Jobs;
using static Hustle.Domain.Tests.Jobs.Situations;

namespace Hustle.Domain.Tests.Jobs;

public class AcceptOfferTests
{
    [Fact]
    public void JOB_ASSIGNED_carries_the_codes_only_in_the_customers_copy()
    {
        var job = Build(Situation.RequestedTwoOffers);
        job.ClearRecorded();

        job.AcceptOffer(HustlerOffer, User(Customer), 12000, StartCode, CompletionCode, PostedAt.AddMinutes(3));

        var assigned = Assert.Single(job.NewEvents, e => e.Type == EventTypes.JobAssigned);
        Assert.Equal([Customer, Hustler], assigned.Recipients);
        Assert.Equal(new Dictionary<string, object?> { ["startCode"] = StartCode, ["completionCode"] = CompletionCode }, assigned.CustomerOnly);
        Assert.Equal(Hustler, assigned.Data["hustlerId"]);
        Assert.All(job.NewEvents, e =>
        {
            Assert.DoesNotContain(e.Data.Keys, k => k.Contains("code", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(e.Data.Values, v => v is StartCode or CompletionCode);
        });
    }

    [Fact]
    public void Accepting_one_offer_declines_the_others_and_tells_their_hustlers()
    {
        var job = Build(Situation.RequestedTwoOffers);
        job.ClearRecorded();

        job.AcceptOffer(HustlerOffer, User(Customer), 12000, StartCode, CompletionCode, PostedAt.AddMinutes(3));

        Assert.Equal([(HustlerOffer, OfferStatus.Accepted), (OtherOffer, OfferStatus.Declined)], job.Offers.Select(o => (o.Id, o.Status)));
        var declined = Assert.Single(job.NewEvents, e => e.Type == EventTypes.OfferDeclined);
        Assert.Equal([OtherHustler], declined.Recipients);
        Assert.Equal("ANOTHER_OFFER_ACCEPTED", declined.Data["reason"]);
        Assert.Equal(ActorRole.Outsider, job.RoleOf(OtherHustler));
        var line = Assert.Single(job.NewHistory);
        Assert.Equal(("ACCEPT_OFFER", Customer, "REQUESTED", "SCHEDULED"), (line.Action, line.Actor, line.From, line.To));
    }

    [Fact]
    public void A_flat_offer_at_another_price_becomes_the_jobs_amount()
    {
        var job = Schedule(PostFlat(amount: 5000), proposedAmount: 4200);

        Assert.Equal((4200L, 4200L, PaymentStatus.Authorized), (job.Amount!.Value, job.AuthorizedAmount!.Value, job.PaymentStatus));
    }
}
