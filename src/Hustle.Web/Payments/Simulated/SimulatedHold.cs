using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hustle.Web.Payments.Simulated;

public enum SimulatedHoldStatus
{
    RequiresCapture,
    Captured,
    Canceled,
    Lapsed,
}

/// <summary>The simulated provider's payment intent.</summary>
public sealed class SimulatedHold
{
    public required string Id { get; init; }

    public required string CustomerId { get; init; }

    public required string PaymentMethod { get; init; }

    public required string Currency { get; init; }

    public required string JobId { get; init; }

    public long Amount { get; set; }

    public long Captured { get; set; }

    public long Refunded { get; set; }

    public SimulatedHoldStatus Status { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>An idempotency key the simulated provider has seen, with the answer it gave.</summary>
public sealed class SimulatedIdempotencyKey
{
    public required string Key { get; init; }

    public required string RequestHash { get; init; }

    public required string Result { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class SimulatedHoldConfiguration : IEntityTypeConfiguration<SimulatedHold>
{
    public void Configure(EntityTypeBuilder<SimulatedHold> h)
    {
        h.ToTable("SimulatedHolds");
        h.HasKey(x => x.Id);
        h.Property(x => x.Id).HasMaxLength(64);
        h.Property(x => x.CustomerId).HasMaxLength(450);
        h.Property(x => x.PaymentMethod).HasMaxLength(64);
        h.Property(x => x.Currency).HasMaxLength(3);
        h.Property(x => x.JobId).HasMaxLength(40);
        h.Property(x => x.Status).HasConversion<Data.EnumText<SimulatedHoldStatus>>().HasMaxLength(24);
        h.HasIndex(x => x.JobId);
    }
}

public sealed class SimulatedIdempotencyKeyConfiguration : IEntityTypeConfiguration<SimulatedIdempotencyKey>
{
    public void Configure(EntityTypeBuilder<SimulatedIdempotencyKey> k)
    {
        k.ToTable("SimulatedIdempotencyKeys");
        k.HasKey(x => x.Key);
        k.Property(x => x.Key).HasMaxLength(255);
        k.Property(x => x.RequestHash).HasMaxLength(64);
    }
}
