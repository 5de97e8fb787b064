using Hustle.Web.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hustle.Web.Data.Configurations;

public sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> p)
    {
        p.HasKey(x => x.JobId);
        p.Property(x => x.JobId).HasMaxLength(40);
        p.Property(x => x.Provider).HasMaxLength(20);
        p.Property(x => x.Currency).HasMaxLength(3);
        p.Property(x => x.PaymentMethod).HasMaxLength(255);
        p.Property(x => x.HoldId).HasMaxLength(255);
        p.Property(x => x.Version).IsConcurrencyToken();
        p.HasIndex(x => x.HoldId);
        p.HasIndex(x => x.HoldExpiresAt);
    }
}

public sealed class PaymentCallConfiguration : IEntityTypeConfiguration<PaymentCall>
{
    public void Configure(EntityTypeBuilder<PaymentCall> c)
    {
        c.HasKey(x => x.Id);
        c.Property(x => x.JobId).HasMaxLength(40);
        c.Property(x => x.Operation).HasMaxLength(20);
        c.Property(x => x.IdempotencyKey).HasMaxLength(255);
        c.Property(x => x.HoldId).HasMaxLength(255);
        c.Property(x => x.Error).HasMaxLength(1000);
        c.Property(x => x.State).HasConversion<EnumText<PaymentCallState>>().HasMaxLength(24);
        c.Property(x => x.Version).IsConcurrencyToken();
        c.HasIndex(x => new { x.JobId, x.Id });
        c.HasIndex(x => new { x.State, x.StartedAt });
    }
}
