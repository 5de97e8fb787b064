using Hustle.Web.Lifecycle;
using Hustle.Web.Offers;
using Hustle.Web.Infrastructure;

namespace Hustle.Web.Jobs;

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization();
        jobs.MapPost("/", PostJob.Handle).RequireRateLimiting(UserLimits.PostJobs).WithName("postJob").WithSummary("Post a job");
        jobs.MapGet("/", BrowseJobs.Handle).WithName("browseJobs").WithSummary("Browse open jobs that others posted");
        jobs.MapGet("/mine", MyJobs.Handle).WithName("myJobs").WithSummary("List the caller's jobs with the feed cursor they are current to");
        jobs.MapGet("/{id}", GetJob.Handle).WithName("getJob").WithSummary("Read a job (the customer's view adds its codes)");
        jobs.MapPatch("/{id}", EditJob.Handle).WithName("editJob").WithSummary("Edit a job (its customer)").ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapGet("/{id}/history", JobHistory.Handle).WithName("jobHistory").WithSummary("Read a job's history of transitions, edits and proposals");
        jobs.MapPost("/{id}/offers", MakeOffer.Handle).RequireRateLimiting(UserLimits.MakeOffers)
            .WithName("makeOffer").WithSummary("Make an offer on an open job").ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapGet("/{id}/offers", ListOffers.Handle).WithName("listOffers").WithSummary("List a job's offers (the customer: all; a hustler: their own)");
        jobs.MapPost("/{id}/unassign", Unassign.Handle).WithName("unassign").WithSummary("Unassign a scheduled job before work starts").ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapPost("/{id}/cancel", Disputes.Cancel).WithName("cancelJob").WithSummary("Cancel an open job (its customer)").ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapPost("/{id}/dispute", Disputes.Dispute).WithName("disputeJob").WithSummary("Dispute a job awaiting confirmation").ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapPost("/{id}/resolve-cancel", Disputes.ResolveByCancelling)
            .WithName("resolveDisputeByCancelling").WithSummary("Resolve a dispute by cancelling the job and voiding its hold (operators)").ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapPost("/{id}/start", EnterCode.Start).RequireRateLimiting(CodeEntryPolicy).WithName("enterStartCode").WithSummary("Start the work with the customer's start code")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status423Locked);
        jobs.MapPost("/{id}/complete", EnterCode.Complete).RequireRateLimiting(CodeEntryPolicy).WithName("enterCompletionCode").WithSummary("Finish the work with the customer's completion code")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status423Locked);
        jobs.MapPost("/{id}/request-payment", RequestPayment.Handle).WithName("requestPayment").WithSummary("Ask the customer to confirm and pay").ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapPost("/{id}/confirm", ConfirmAndPay.Handle).WithName("confirmAndPay").WithSummary("Confirm the work and capture the payment")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        jobs.MapPost("/{id}/price-proposals", PriceProposals.Propose).WithName("proposePrice").WithSummary("Propose a new price for a scheduled job").ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/ops/disputes", Disputes.ListOpen).WithTags("Operations").RequireAuthorization(OperatorPolicy)
            .WithName("openDisputes").WithSummary("List disputed jobs waiting for a decision (operators)");

        var offers = app.MapGroup("/api/offers").WithTags("Offers").RequireAuthorization();
        offers.MapPost("/{id}/accept", AcceptOffer.Handle).WithName("acceptOffer").WithSummary("Accept an offer: schedule the job and hold the payment")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        offers.MapPost("/{id}/decline", AnswerOffer.Decline).WithName("declineOffer").WithSummary("Decline an offer (the customer)").ProducesProblem(StatusCodes.Status409Conflict);
        offers.MapPost("/{id}/withdraw", AnswerOffer.Withdraw).WithName("withdrawOffer").WithSummary("Withdraw an offer (its hustler)").ProducesProblem(StatusCodes.Status409Conflict);

        var proposals = app.MapGroup("/api/price-proposals").WithTags("Price proposals").RequireAuthorization();
        proposals.MapPost("/{id}/accept", PriceProposals.Accept).WithName("acceptPriceProposal").WithSummary("Accept a price proposal: change the price and the payment hold together")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        proposals.MapPost("/{id}/decline", PriceProposals.Decline).WithName("declinePriceProposal").WithSummary("Decline a price proposal").ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public const string OperatorPolicy = "operator";
    public const string CodeEntryPolicy = "code-entry";
}
