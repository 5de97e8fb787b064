namespace Hustle.Domain.Jobs;

/// <summary>
/// Something one person may do to a job, and what the request for it takes. <see cref="Action"/> is a
/// <see cref="JobAction"/> in the contract's UPPER_SNAKE spelling, or <see cref="AllowedActions.OpenThread"/>.
/// The action is allowed from <see cref="AvailableFrom"/> (a locked code) until <see cref="AvailableUntil"/> (the job's
/// expiry): a window rather than a yes or no, so a view stays true while it is on screen.
/// </summary>
/// <param name="Needs">Fields the request must carry.</param>
/// <param name="Optional">Fields the request may carry.</param>
/// <param name="OfferId">The offer the action is about (accept, decline, withdraw): one entry per offer.</param>
/// <param name="ProposalId">The price proposal to answer.</param>
public sealed record AllowedAction(
    string Action,
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> Optional,
    string? OfferId = null,
    string? ProposalId = null,
    DateTimeOffset? AvailableFrom = null,
    DateTimeOffset? AvailableUntil = null);

/// <summary>
/// What a person may do to a job, read off <see cref="TransitionTable"/> for their role and narrowed by the same
/// guards <see cref="Job"/> applies beside the table. Only actions a person asks for are listed; Hustle's own
/// (expiry, auto-confirm, hold renewal) and an operator's are not.
/// </summary>
public static class AllowedActions
{
    /// <summary>A hustler opens a conversation with the customer (with a question, before or instead of an offer).</summary>
    public const string OpenThread = "OPEN_THREAD";

    private static readonly string[] Reason = ["reason"];
    private static readonly string[] Code = ["code"];
    private static readonly string[] Details = ["title", "description", "area", "location", "scheduledFor", "expiresAt"];

    public static string NameOf(JobAction action) => JobText.UpperSnake(action.ToString());

    public static IReadOnlyList<AllowedAction> For(Job job, string userId)
    {
        var role = job.RoleOf(userId);
        var allowed = TransitionTable.Rows
            .Where(row => row.From.Contains(job.Status) && row.By.Contains(role))
            .SelectMany(row => Expand(job, row.Action, userId))
            .ToList();
        if (MayOpenThread(job, userId))
        {
            allowed.Add(new AllowedAction(OpenThread, [], []));
        }

        return allowed;
    }

    /// <summary>
    /// Anyone but the customer may open a conversation on a job they can see: one open to offers, or the one they
    /// were given. The customer answers in the threads hustlers open.
    /// </summary>
    public static bool MayOpenThread(Job job, string userId) =>
        userId != job.CustomerId && (job.Status is JobStatus.Open or JobStatus.Requested || userId == job.HustlerId);

    private static IEnumerable<AllowedAction> Expand(Job job, JobAction action, string userId)
    {
        var name = NameOf(action);
        var flat = job.PricingType == PricingType.Flat;
        switch (action)
        {
            case JobAction.MakeOffer:
                yield return new(name, [], flat ? ["proposedAmount", "message"] : ["message"], AvailableUntil: job.ExpiresAt);
                break;
            case JobAction.WithdrawOffer:
                foreach (var offer in job.PendingOffers.Where(o => o.HustlerId == userId))
                {
                    yield return new(name, [], [], offer.Id);
                }

                break;
            case JobAction.AcceptOffer:
                foreach (var offer in job.PendingOffers)
                {
                    yield return new(name, [], [], offer.Id, AvailableUntil: job.ExpiresAt);
                }

                break;
            case JobAction.DeclineOffer:
                foreach (var offer in job.PendingOffers)
                {
                    yield return new(name, [], Reason, offer.Id);
                }

                break;
            case JobAction.VerifyStartCode:
                yield return new(name, Code, [], AvailableFrom: job.StartCodeLockedUntil);
                break;
            case JobAction.VerifyCompletionCode:
                yield return new(name, Code, [], AvailableFrom: job.CompletionCodeLockedUntil);
                break;
            case JobAction.RequestPayment:
                yield return new(name, [], flat ? [] : ["billableMinutes"]);
                break;
            case JobAction.Dispute when job.Disputed:
                break;
            case JobAction.Dispute or JobAction.Cancel or JobAction.Unassign:
                yield return new(name, [], Reason);
                break;
            case JobAction.Edit:
                // A scheduled job's price changes only through a price proposal.
                string[] price = job.Status == JobStatus.Scheduled ? [] : flat ? ["amount"] : ["hourlyRate", "estimatedHours"];
                yield return new(name, [], [.. Details, .. price]);
                break;
            case JobAction.ProposePrice when !job.StartCodeVerified:
                yield return new(name, flat ? ["amount"] : ["hourlyRate"], []);
                break;
            case JobAction.AnswerPriceProposal when job.PendingPriceProposal is { } proposal && proposal.ProposedById != userId:
                yield return new(name, [], [], ProposalId: proposal.Id);
                break;
            case JobAction.ConfirmAndPay:
                yield return new(name, [], []);
                break;
        }
    }
}
