namespace Hustle.Domain.Jobs;

public enum JobStatus
{
    Open,
    Requested,
    Scheduled,
    InProgress,
    CompletedByHustler,
    AwaitingCustomerConfirm,
    Paid,
    Cancelled,
    Expired,
}

public enum PricingType
{
    Flat,
    Hourly,
}

public enum PaymentStatus
{
    None,
    Authorized,
    AuthorizationFailed,
    CaptureFailed,
    Captured,
    Voided,
    Refunded,
}

public enum OfferStatus
{
    Pending,
    Accepted,
    Declined,
    Withdrawn,
}
