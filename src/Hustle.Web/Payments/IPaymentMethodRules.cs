namespace Hustle.Web.Payments;

/// <summary>Which saved payment method ids the configured provider takes.</summary>
public interface IPaymentMethodRules
{
    bool IsAcceptable(string paymentMethod);

    string Describe();
}
