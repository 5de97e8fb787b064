using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hustle.Web.Data.Configurations;

public sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> job)
    {
        job.HasKey(j => j.Id);
        job.Property(j => j.Id).HasMaxLength(40);
        job.Property(j => j.Title).HasMaxLength(120);
        job.Property(j => j.Description).HasMaxLength(4000);
        job.Property(j => j.Area).HasMaxLength(120);
        job.Property(j => j.Location).HasMaxLength(300);
        job.Property(j => j.Currency).HasMaxLength(3);
        job.Property(j => j.CustomerId).HasMaxLength(450);
        job.Property(j => j.HustlerId).HasMaxLength(450);
        job.Property(j => j.StartCode).HasMaxLength(6);
        job.Property(j => j.CompletionCode).HasMaxLength(6);
        job.Property(j => j.Status).HasConversion<EnumText<JobStatus>>().HasMaxLength(32);
        job.Property(j => j.PricingType).HasConversion<EnumText<PricingType>>().HasMaxLength(16);
        job.Property(j => j.PaymentStatus).HasConversion<EnumText<PaymentStatus>>().HasMaxLength(32);
        job.Property(j => j.Version).IsConcurrencyToken();
        job.HasMany(j => j.Offers).WithOne().HasForeignKey(o => o.JobId);
        job.HasMany(j => j.PriceProposals).WithOne().HasForeignKey(p => p.JobId);
        job.Navigation(j => j.Offers).HasField("_offers").UsePropertyAccessMode(PropertyAccessMode.Field);
        job.Navigation(j => j.PriceProposals).HasField("_priceProposals").UsePropertyAccessMode(PropertyAccessMode.Field);
        job.Ignore(j => j.NewHistory);
        job.Ignore(j => j.NewEvents);
        job.Ignore(j => j.PendingOffers);
        job.Ignore(j => j.PendingPriceProposal);
        job.Ignore(j => j.PriceToAuthorize);
        job.HasIndex(j => new { j.Status, j.ExpiresAt });
        job.HasIndex(j => new { j.Status, j.PaymentRequestedAt });
        job.HasIndex(j => j.CustomerId);
        job.HasIndex(j => j.HustlerId);
    }
}

public sealed class OfferConfiguration : IEntityTypeConfiguration<Offer>
{
    public void Configure(EntityTypeBuilder<Offer> offer)
    {
        offer.HasKey(o => o.Id);
        offer.Property(o => o.Id).HasMaxLength(40);
        offer.Property(o => o.HustlerId).HasMaxLength(450);
        offer.Property(o => o.Message).HasMaxLength(1000);
        offer.Property(o => o.Status).HasConversion<EnumText<OfferStatus>>().HasMaxLength(16);
        offer.HasIndex(o => new { o.HustlerId, o.Status });
    }
}

public sealed class PriceProposalConfiguration : IEntityTypeConfiguration<PriceProposal>
{
    public void Configure(EntityTypeBuilder<PriceProposal> proposal)
    {
        proposal.HasKey(p => p.Id);
        proposal.Property(p => p.Id).HasMaxLength(40);
        proposal.Property(p => p.ProposedById).HasMaxLength(450);
        proposal.Property(p => p.Status).HasConversion<EnumText<ProposalStatus>>().HasMaxLength(16);
    }
}

public sealed class JobHistoryConfiguration : IEntityTypeConfiguration<JobHistoryEntry>
{
    public void Configure(EntityTypeBuilder<JobHistoryEntry> history)
    {
        history.ToTable("JobHistory");
        history.HasKey(h => h.Id);
        history.Property(h => h.Actor).HasMaxLength(450);
        history.Property(h => h.Action).HasMaxLength(40);
        history.Property(h => h.From).HasMaxLength(32);
        history.Property(h => h.To).HasMaxLength(32);
        history.Property(h => h.Reason).HasMaxLength(1000);
        history.Property(h => h.RequestId).HasMaxLength(64);
        history.HasIndex(h => new { h.JobId, h.Id });
    }
}
