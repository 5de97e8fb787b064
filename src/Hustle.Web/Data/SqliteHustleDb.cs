using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hustle.Web.Data;

/// <summary>The embedded default: one SQLite file. Owns the migrations in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteHustleDb : HustleDb
{
    /// <summary>
    /// Every <c>SaveChanges</c> opens a transaction, even for one statement (EF skips it then by default), so that each
    /// write waits for its turn in <see cref="SqliteWriteQueue"/> rather than for SQLite's busy lock.
    /// </summary>
    public SqliteHustleDb(DbContextOptions<SqliteHustleDb> options)
        : base(options) => Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;

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
