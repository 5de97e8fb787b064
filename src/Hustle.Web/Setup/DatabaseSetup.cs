using Hustle.Web.Accounts;
using Hustle.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Setup;

/// <summary>The database of <see cref="DatabaseOptions"/>, and its migrations at start.</summary>
public static class DatabaseSetup
{
    /// <summary>
    /// <c>Hustle:Database:Provider</c> picks the database: <c>Sqlite</c> (the default, a file) or <c>PostgreSQL</c>;
    /// <c>ConnectionStrings:Hustle</c> says where. Either way every service asks for <see cref="HustleDb"/> or
    /// <see cref="IDbContextFactory{HustleDb}"/> and gets the chosen provider's context, with its own migrations.
    /// </summary>
    public static IServiceCollection AddHustleData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DatabaseOptions>(configuration, "");
        var database = configuration.ReadSettings<DatabaseOptions>("");
        if (database.IsPostgres)
        {
            // PostgreSQL groups concurrent commits into one log flush on its own.
            services.AddSingleton<IWriteTransactions, OwnTransactions>();
            return services.AddHustleContext<PostgresHustleDb>((_, o) => o.UseNpgsql(WithAutoPrepare(database.ConnectionString!)));
        }

        var synchronous = string.IsNullOrEmpty(database.SqliteSynchronous) ? null : new SqliteSynchronousMode(database.SqliteSynchronous);
        services.AddSingleton<SqliteWriteQueue>();
        if (database.SqliteGroupCommit)
        {
            services.AddSingleton<SqliteGroupCommit>();
            services.AddSingleton<IWriteTransactions>(sp => sp.GetRequiredService<SqliteGroupCommit>());
        }
        else
        {
            services.AddSingleton<IWriteTransactions, OwnTransactions>();
        }

        return services.AddHustleContext<SqliteHustleDb>((sp, o) =>
        {
            o.UseSqlite(database.ConnectionString ?? DatabaseOptions.DefaultSqliteConnection).AddInterceptors(sp.GetRequiredService<SqliteWriteQueue>());
            if (synchronous is not null)
            {
                o.AddInterceptors(synchronous);
            }
        });
    }

    /// <summary>
    /// The statements of a step are the same few, over and over: unless the connection string says otherwise, Npgsql
    /// prepares the ones used often on each connection, so PostgreSQL stops parsing and planning them for every
    /// transition (most of its CPU per step in the side-by-side benchmark, docs/BENCHMARKS.md).
    /// </summary>
    internal static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 100;
        }

        return builder.ConnectionString;
    }

    /// <summary>Applies pending migrations at start, so a fresh clone runs with one command.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HustleDb>();
        if (db.Database.IsSqlite())
        {
            OwnerOnlyFiles.PrepareSqlite(db.Database.GetConnectionString());
        }

        await db.Database.MigrateAsync();
        await KeyRingProtection.ForgetUnencryptedKeysAsync(db);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets readers go on while one request commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    private static IServiceCollection AddHustleContext<TContext>(this IServiceCollection services, Action<IServiceProvider, DbContextOptionsBuilder> configure)
        where TContext : HustleDb
    {
        // AddDbContextFactory also registers TContext itself as scoped, created by the factory.
        services.AddDbContextFactory<TContext>(configure);
        services.AddScoped<HustleDb>(sp => sp.GetRequiredService<TContext>());
        services.AddSingleton<IDbContextFactory<HustleDb>, HustleDbFactory<TContext>>();
        return services;
    }

    private sealed class HustleDbFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<HustleDb>
        where TContext : HustleDb
    {
        public HustleDb CreateDbContext() => inner.CreateDbContext();

        public async Task<HustleDb> CreateDbContextAsync(CancellationToken cancellationToken = default) => await inner.CreateDbContextAsync(cancellationToken);
    }
}
