using Hustle.Domain.Jobs;
using Hustle.Domain.Messaging;
using Hustle.Web.Accounts;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hustle.Web.Data;

public sealed class HustleDb(DbContextOptions<HustleDb> options) : IdentityDbContext<User>(options)
{
    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<Offer> Offers => Set<Offer>();

    public DbSet<PriceProposal> PriceProposals => Set<PriceProposal>();

    public DbSet<JobHistoryEntry> JobHistory => Set<JobHistoryEntry>();

    public DbSet<FeedEvent> FeedEvents => Set<FeedEvent>();

    public DbSet<FeedCounter> FeedCounters => Set<FeedCounter>();

    public DbSet<MessageThread> MessageThreads => Set<MessageThread>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<ThreadReadState> ThreadReadStates => Set<ThreadReadState>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(HustleDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        if (Database.IsSqlite())
        {
            // SQLite has no time type: store UTC instants as sortable integers so expiry and feed queries can compare them.
            conventions.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
