using Microsoft.AspNetCore.Identity;

namespace Hustle.Web.Accounts;

public sealed class User : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The saved payment method the customer's holds are placed on.</summary>
    public string? PaymentMethod { get; set; }

    /// <summary>When the user's last hub connection closed; null while they have never connected.</summary>
    public DateTimeOffset? LastSeenAt { get; set; }
}
