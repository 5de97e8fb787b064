using Hustle.Web.Data;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Hustle.Web.Payments.Stripe;

/// <summary>
/// One Stripe Customer per Hustle user, made the first time the user saves a card. A card saved on a customer can be
/// charged off-session as often as Hustle needs (a hold, a larger one, a renewal); one saved without can be used once.
/// </summary>
public sealed class StripeCustomers(IDbContextFactory<HustleDb> contexts, StripeClient stripe, TimeProvider clock)
{
    public async Task<string?> FindAsync(string userId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<StripeCustomer>().AsNoTracking().Where(c => c.UserId == userId).Select(c => c.CustomerId).FirstOrDefaultAsync(ct);
    }

    /// <summary>The user's customer, created at Stripe with a key derived from the user so racing requests make one.</summary>
    public async Task<string> EnsureAsync(string userId, string? email, CancellationToken ct)
    {
        if (await FindAsync(userId, ct) is { } existing)
        {
            return existing;
        }

        var customer = await stripe.V1.Customers.CreateAsync(
            new CustomerCreateOptions { Email = email, Metadata = new Dictionary<string, string> { ["hustle_user_id"] = userId } },
            new RequestOptions { IdempotencyKey = $"user/{userId}/stripe-customer" },
            ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Add(new StripeCustomer { UserId = userId, CustomerId = customer.Id, CreatedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
            return customer.Id;
        }
        catch (DbUpdateException)
        {
            // A racing request saved the customer first (Stripe gave it the same one for the same key).
            return await FindAsync(userId, ct) ?? throw new InvalidOperationException($"No Stripe customer saved for user {userId}.");
        }
    }
}
