namespace Hustle.Domain;

/// <summary>An amount in minor units (cents) of an ISO 4217 currency. Never a floating-point number.</summary>
public readonly record struct Money(long Minor, string Currency)
{
    public static Money operator +(Money a, Money b) => new(a.Minor + b.Minor, SameCurrency(a, b));

    public static Money operator -(Money a, Money b) => new(a.Minor - b.Minor, SameCurrency(a, b));

    private static string SameCurrency(Money a, Money b) =>
        a.Currency == b.Currency ? a.Currency : throw new InvalidOperationException($"Currency mismatch: {a.Currency} and {b.Currency}.");

    public override string ToString() => $"{Minor} {Currency}";
}
