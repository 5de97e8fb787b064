using System.ComponentModel.DataAnnotations;
using Hustle.Web.Payments.Stripe;

namespace Hustle.Web.Setup;

/// <summary><c>Hustle:Payments</c>: which provider moves the money.</summary>
public sealed class PaymentOptions : IValidatableObject
{
    public const string Section = "Hustle:Payments";
    public const string Simulated = "simulated";

    /// <summary><c>simulated</c> (the default) or <c>stripe</c>, in any case.</summary>
    public string? Provider { get; set; }

    /// <summary>The provider's name as the rest of the app spells it.</summary>
    public string ProviderName => string.IsNullOrWhiteSpace(Provider) ? Simulated : Provider.Trim().ToLowerInvariant();

    public bool IsStripe => ProviderName == StripeGateway.ProviderName;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProviderName is not (Simulated or StripeGateway.ProviderName))
        {
            yield return new ValidationResult($"Hustle:Payments:Provider is '{ProviderName}'; it must be 'simulated' or 'stripe'.", [nameof(Provider)]);
        }
    }
}
