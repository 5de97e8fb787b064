using Hustle.Domain.Jobs;

namespace Hustle.Web.Jobs;

/// <summary>
/// A job as the contract shows it to one viewer. <c>location</c> only to the customer and the assigned hustler; codes
/// only to the customer; <c>allowedActions</c> what this viewer may do now (the page draws its buttons from it).
/// </summary>
public sealed record JobResponse(
    string Id,
    string Title,
    string Description,
    string Area,
    string? Location,
    PricingType PricingType,
    long? Amount,
    long? HourlyRate,
    decimal? EstimatedHours,
    string Currency,
    JobStatus Status,
    PaymentStatus PaymentStatus,
    bool Disputed,
    string CustomerId,
    string? HustlerId,
    bool StartCodeVerified,
    bool CompletionCodeVerified,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long? FinalAmount,
    int? BilledMinutes,
    long? AuthorizedAmount,
    DateTimeOffset? PaymentRequestedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    string? StartCode,
    string? CompletionCode,
    DateTimeOffset? StartCodeLockedUntil,
    DateTimeOffset? CompletionCodeLockedUntil,
    int PendingOffers,
    PriceProposalResponse? PendingPriceProposal,
    IReadOnlyList<AllowedAction> AllowedActions);

public sealed record OfferResponse(string Id, string JobId, string HustlerId, long? ProposedAmount, string? Message, OfferStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static OfferResponse From(Offer o) => new(o.Id, o.JobId, o.HustlerId, o.ProposedAmount, o.Message, o.Status, o.CreatedAt, o.UpdatedAt);
}

public sealed record PriceProposalResponse(string Id, string JobId, string ProposedById, long? Amount, long? HourlyRate, ProposalStatus Status, DateTimeOffset CreatedAt)
{
    public static PriceProposalResponse From(PriceProposal p) => new(p.Id, p.JobId, p.ProposedById, p.Amount, p.HourlyRate, p.Status, p.CreatedAt);
}

public static class JobViews
{
    /// <summary>Anyone signed in may see a job that is open to offers (without its address); after that only its two parties.</summary>
    public static bool CanSee(Job job, string userId) =>
        job.CustomerId == userId || job.HustlerId == userId || IsBrowsable(job);

    public static bool IsBrowsable(Job job) => job.Status is JobStatus.Open or JobStatus.Requested;

    public static JobResponse For(Job job, string viewerId)
    {
        var isCustomer = job.CustomerId == viewerId;
        var isParty = isCustomer || job.HustlerId == viewerId;
        return new JobResponse(
            job.Id,
            job.Title,
            job.Description,
            job.Area,
            isParty ? job.Location : null,
            job.PricingType,
            job.Amount,
            job.HourlyRate,
            job.EstimatedMinutes / 60m,
            job.Currency,
            job.Status,
            job.PaymentStatus,
            job.Disputed,
            job.CustomerId,
            job.HustlerId,
            job.StartCodeVerified,
            job.CompletionCodeVerified,
            job.ScheduledFor,
            job.StartedAt,
            job.CompletedAt,
            job.FinalAmount,
            job.BilledMinutes,
            isParty ? job.AuthorizedAmount : null,
            job.PaymentRequestedAt,
            job.ExpiresAt,
            job.CreatedAt,
            job.UpdatedAt,
            job.Version,
            isCustomer && !job.StartCodeVerified ? job.StartCode : null,
            isCustomer && !job.CompletionCodeVerified ? job.CompletionCode : null,
            isParty ? job.StartCodeLockedUntil : null,
            isParty ? job.CompletionCodeLockedUntil : null,
            job.PendingOffers.Count(),
            isParty && job.PendingPriceProposal is { } p ? PriceProposalResponse.From(p) : null,
            AllowedActions.For(job, viewerId));
    }
}
