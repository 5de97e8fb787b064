using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hustle.Web.Data.Configurations;

public sealed class IdempotencyConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> r)
    {
        r.HasKey(x => new { x.UserId, x.Key });
        r.Property(x => x.UserId).HasMaxLength(450);
        r.Property(x => x.Key).HasMaxLength(200);
        r.Property(x => x.RequestHash).HasMaxLength(64);
        r.Property(x => x.ContentType).HasMaxLength(100);
        r.Property(x => x.Location).HasMaxLength(2000);
        r.HasIndex(x => x.CreatedAt);
    }
}
