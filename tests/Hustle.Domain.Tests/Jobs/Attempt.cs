namespace Hustle.Domain.Tests.Jobs;

/// <summary>What a test tries to do to a job, through the public method that does it.</summary>
public enum Attempt
{
    MakeOffer,
    WithdrawOffer,
    DeclineOffer,
    AcceptOffer,
    Unassign,
    VerifyStartCode,
    VerifyCompletionCode,
    RequestPayment,
    ConfirmAndPay,
    AutoConfirm,
    Dispute,
    ResolveDisputeCancel,
    Cancel,
    Expire,
    EditDetails,
    EditPrice,
    ProposePrice,
    AcceptPriceProposal,
    DeclinePriceProposal,
    ReauthorizePayment,
}
