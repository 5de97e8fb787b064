using Hustle.Web.Lifecycle;
using Hustle.Web.Offers;
using Hustle.Web.Infrastructure;

namespace Hustle.Web.Jobs;

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization();
        jobs.MapPost("/", PostJob.Handle).RequireRateLimiting(UserLimits.PostJobs);
        jobs.MapGet("/", BrowseJobs.Handle);
        jobs.MapGet("/mine", MyJobs.Handle);
        jobs.MapGet("/{id}", GetJob.Handle);
        jobs.MapPatch("/{id}", EditJob.Handle);
        jobs.MapGet("/{id}/history", JobHistory.Handle);
        jobs.MapPost("/{id}/offers", MakeOffer.Handle).RequireRateLimiting(UserLimits.MakeOffers);
        jobs.MapGet("/{id}/offers", ListOffers.Handle);
        jobs.MapPost("/{id}/unassign", Unassign.Handle);
        jobs.MapPost("/{id}/cancel", Disputes.Cancel);
        jobs.MapPost("/{id}/dispute", Disputes.Dispute);
        jobs.MapPost("/{id}/resolve-cancel", Disputes.ResolveByCancelling);
        jobs.MapPost("/{id}/start", EnterCode.Start).RequireRateLimiting(CodeEntryPolicy);
        jobs.MapPost("/{id}/complete", EnterCode.Complete).RequireRateLimiting(CodeEntryPolicy);
        jobs.MapPost("/{id}/request-payment", RequestPayment.Handle);
        jobs.MapPost("/{id}/confirm", ConfirmAndPay.Handle);
        jobs.MapPost("/{id}/price-proposals", PriceProposals.Propose);

        app.MapGet("/api/ops/disputes", Disputes.ListOpen).WithTags("Operations").RequireAuthorization(OperatorPolicy);

        var offers = app.MapGroup("/api/offers").WithTags("Offers").RequireAuthorization();
        offers.MapPost("/{id}/accept", AcceptOffer.Handle);
        offers.MapPost("/{id}/decline", AnswerOffer.Decline);
        offers.MapPost("/{id}/withdraw", AnswerOffer.Withdraw);

        var proposals = app.MapGroup("/api/price-proposals").WithTags("Price proposals").RequireAuthorization();
        proposals.MapPost("/{id}/accept", PriceProposals.Accept);
        proposals.MapPost("/{id}/decline", PriceProposals.Decline);
        return app;
    }

    public const string OperatorPolicy = "operator";
    public const string CodeEntryPolicy = "code-entry";
}
