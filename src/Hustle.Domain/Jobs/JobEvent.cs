namespace Hustle.Domain.Jobs;

/// <summary>Event types of the per-user feed (docs/ARCHITECTURE.md, "The feed and the hub").</summary>
public static class EventTypes
{
    public const string JobCreated = "JOB_CREATED";
    public const string OfferReceived = "OFFER_RECEIVED";
    public const string OfferWithdrawn = "OFFER_WITHDRAWN";
    public const string OfferDeclined = "OFFER_DECLINED";
    public const string JobAssigned = "JOB_ASSIGNED";
    public const string JobUnassigned = "JOB_UNASSIGNED";
    public const string JobUpdated = "JOB_UPDATED";
    public const string PriceChangeProposed = "PRICE_CHANGE_PROPOSED";
    public const string PriceChangeDeclined = "PRICE_CHANGE_DECLINED";
    public const string PriceChanged = "PRICE_CHANGED";
    public const string JobStarted = "JOB_STARTED";
    public const string CodeLocked = "CODE_LOCKED";
    public const string JobCompleted = "JOB_COMPLETED";
    public const string PaymentRequested = "PAYMENT_REQUESTED";
    public const string PaymentCaptured = "PAYMENT_CAPTURED";
    public const string PaymentFailed = "PAYMENT_FAILED";
    public const string PaymentUpdated = "PAYMENT_UPDATED";
    public const string JobDisputed = "JOB_DISPUTED";
    public const string JobCancelled = "JOB_CANCELLED";
    public const string JobExpired = "JOB_EXPIRED";
    public const string MessageCreated = "MESSAGE_CREATED";
    public const string MessagesRead = "MESSAGES_READ";
}

/// <summary>
/// Something that happened to a job, for the feed of each of <see cref="Recipients"/>. <see cref="CustomerOnly"/> is
/// merged into the customer's copy alone (the start and completion codes never reach a hustler).
/// </summary>
public sealed record JobEvent(
    string Type,
    string JobId,
    IReadOnlyList<string> Recipients,
    IReadOnlyDictionary<string, object?> Data,
    IReadOnlyDictionary<string, object?>? CustomerOnly = null);
