// Hustle keeps one model and one migration set per database provider:
//   SqliteHustleDb   → Data/Migrations/Sqlite       (the embedded default)
//   PostgresHustleDb → Data/Migrations/PostgreSQL   (several nodes)
// Every service uses HustleDb; DatabaseSetup.AddHustleData maps it to the configured subclass.
//
// After a model change, regenerate both sets (no database needed: each context has a design-time factory):
//   dotnet tool restore
//   cd src/Hustle.Web
//   rm -rf Data/Migrations/Sqlite Data/Migrations/PostgreSQL
//   dotnet ef migrations add Initial --context SqliteHustleDb -o Data/Migrations/Sqlite --namespace Hustle.Web.Data.Migrations.Sqlite
//   dotnet ef migrations add Initial --context PostgresHustleDb -o Data/Migrations/PostgreSQL --namespace Hustle.Web.Data.Migrations.PostgreSQL
// (or, to add a migration on top of shipped ones, the same two commands with a new name and without the rm).
// If a snapshot lands under src/Hustle.Web/Hustle/..., move it into the folder next to its migration.
using Hustle.Domain.Jobs;
using Hustle.Domain.Messaging;
using Hustle.Web.Accounts;
using Hustle.Web.Payments;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Data;

/// <summary>Hustle's data, whatever the provider. Created only as <see cref="SqliteHustleDb"/> or <see cref="PostgresHustleDb"/>.</summary>
public abstract class HustleDb : IdentityDbContext<User>, IDataProtectionKeyContext
{
    protected HustleDb(DbContextOptions options)
        : base(options)
    {
        // No savepoint around each SaveChanges inside a transaction (two statements a save): no writer here carries on
        // in a transaction after a failed save; each one lets the whole transaction roll back.
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<Offer> Offers => Set<Offer>();

    public DbSet<PriceProposal> PriceProposals => Set<PriceProposal>();

    public DbSet<JobHistoryEntry> JobHistory => Set<JobHistoryEntry>();

    public DbSet<FeedEvent> FeedEvents => Set<FeedEvent>();

    public DbSet<FeedCounter> FeedCounters => Set<FeedCounter>();

    public DbSet<MessageThread> MessageThreads => Set<MessageThread>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<ThreadReadState> ThreadReadStates => Set<ThreadReadState>();

    /// <summary>The key ring that protects bearer tokens and cookies, shared by every node so any node accepts any node's token.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(HustleDb).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var detecting = BumpPaymentVersions();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detecting;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var detecting = BumpPaymentVersions();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detecting;
        }
    }

    /// <summary>
    /// Every tracked change to a <see cref="Payment"/> moves its version on, here rather than at each writer, so none
    /// can forget: the save is checked against the version read, and the next stale writer loses. Changes are detected
    /// once, here, and automatic detection is off until the save returns (it would walk every entry again); the
    /// version set here is recorded as it is set. Returns whether automatic detection was on.
    /// </summary>
    private bool BumpPaymentVersions()
    {
        var detecting = ChangeTracker.AutoDetectChangesEnabled;
        if (detecting)
        {
            ChangeTracker.DetectChanges();
            ChangeTracker.AutoDetectChangesEnabled = false;
        }

        foreach (var entry in ChangeTracker.Entries<Payment>().Where(e => e.State == EntityState.Modified))
        {
            var version = entry.Property(p => p.Version);
            version.CurrentValue = version.OriginalValue + 1;
        }

        return detecting;
    }
}
