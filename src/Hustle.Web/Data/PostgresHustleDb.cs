using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hustle.Web.Data;

/// <summary>PostgreSQL, for several nodes on one database. Owns the migrations in <c>Data/Migrations/PostgreSQL</c>.</summary>
public sealed class PostgresHustleDb(DbContextOptions<PostgresHustleDb> options) : HustleDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // timestamptz accepts only offset 0: an instant given with another offset (a client's scheduledFor) is stored as the same instant in UTC.
        conventions.Properties<DateTimeOffset>().HaveConversion<UtcInstant>();
    }

    private sealed class UtcInstant() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without a server (adding a migration never connects).</summary>
public sealed class PostgresHustleDbDesignFactory : IDesignTimeDbContextFactory<PostgresHustleDb>
{
    public PostgresHustleDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresHustleDb>().UseNpgsql("Host=localhost;Database=hustle;Username=hustle").Options);
}
