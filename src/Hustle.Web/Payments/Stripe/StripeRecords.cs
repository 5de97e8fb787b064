using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hustle.Web.Payments.Stripe;

/// <summary>A Stripe webhook event Hustle has handled, kept so a redelivery is recognised and applied only once.</summary>
public sealed class StripeWebhookEvent
{
    /// <summary>Stripe's event id (<c>evt_…</c>).</summary>
    public required string Id { get; init; }

    public required string Type { get; init; }

    /// <summary>The job the event was about, when Hustle knows the payment.</summary>
    public string? JobId { get; set; }

    /// <summary>What Hustle did with it: <c>applied</c>, or why it changed nothing.</summary>
    public required string Outcome { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>The Stripe Customer a Hustle user's cards are saved on, so they can be charged off-session again and again.</summary>
public sealed class StripeCustomer
{
    public required string UserId { get; init; }

    public required string CustomerId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class StripeWebhookEventConfiguration : IEntityTypeConfiguration<StripeWebhookEvent>
{
    public void Configure(EntityTypeBuilder<StripeWebhookEvent> e)
    {
        e.ToTable("StripeWebhookEvents");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(255);
        e.Property(x => x.Type).HasMaxLength(100);
        e.Property(x => x.JobId).HasMaxLength(40);
        e.Property(x => x.Outcome).HasMaxLength(200);
        e.HasIndex(x => x.JobId);
    }
}

public sealed class StripeCustomerConfiguration : IEntityTypeConfiguration<StripeCustomer>
{
    public void Configure(EntityTypeBuilder<StripeCustomer> c)
    {
        c.ToTable("StripeCustomers");
        c.HasKey(x => x.UserId);
        c.Property(x => x.UserId).HasMaxLength(450);
        c.Property(x => x.CustomerId).HasMaxLength(255);
    }
}
