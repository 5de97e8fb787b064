using Hustle.Web.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hustle.Web.Data.Configurations;

public sealed class FeedEventConfiguration : IEntityTypeConfiguration<FeedEvent>
{
    public void Configure(EntityTypeBuilder<FeedEvent> e)
    {
        // The primary key is the only index a poll needs: WHERE UserId = @u AND Seq >= @after ORDER BY Seq.
        e.HasKey(f => new { f.UserId, f.Seq });
        e.Property(f => f.UserId).HasMaxLength(450);
        e.Property(f => f.EventId).HasMaxLength(40);
        e.Property(f => f.Type).HasMaxLength(40);
        e.Property(f => f.JobId).HasMaxLength(40);
        e.HasIndex(f => f.At);
    }
}

public sealed class FeedCounterConfiguration : IEntityTypeConfiguration<FeedCounter>
{
    public void Configure(EntityTypeBuilder<FeedCounter> c)
    {
        c.HasKey(f => f.UserId);
        c.Property(f => f.UserId).HasMaxLength(450);
    }
}
