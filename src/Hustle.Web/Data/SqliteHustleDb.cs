using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hustle.Web.Data;

/// <summary>The embedded default: one SQLite file. Owns the migrations in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteHustleDb : HustleDb
{
    private readonly SqliteGroupCommit? _groupCommit;

    /// <summary>
    /// Every <c>SaveChanges</c> opens a transaction, even for one statement (EF skips it then by default), so that each
    /// write waits for its turn in <see cref="SqliteWriteQueue"/> rather than for SQLite's busy lock.
    /// </summary>
    public SqliteHustleDb(DbContextOptions<SqliteHustleDb> options)
        : base(options)
    {
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        _groupCommit = options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<SqliteGroupCommit>();
    }

    /// <summary>
    /// A save outside a transaction is a change of its own: with group commit it takes a seat in a batch, sharing one
    /// transaction and one disk sync with the changes written at the same moment (<see cref="SqliteGroupCommit"/>).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (_groupCommit is null || !SqliteGroupCommit.CanSeat(this))
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var change = await _groupCommit.BeginAsync(this, cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await change.CommitAsync();
        return saved;
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite has no time type: store UTC instants as sortable integers so expiry and feed queries can compare them.
        conventions.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without starting the app.</summary>
public sealed class SqliteHustleDbDesignFactory : IDesignTimeDbContextFactory<SqliteHustleDb>
{
    public SqliteHustleDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHustleDb>().UseSqlite("Data Source=design-time.db").Options);
}
