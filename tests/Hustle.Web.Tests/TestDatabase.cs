using Hustle.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hustle.Web.Tests;

/// <summary>
/// The database a <see cref="TestApp"/> runs on. By default a SQLite temp file. With
/// <c>HUSTLE_TEST_PROVIDER=postgres</c> (test.sh's second run), a fresh PostgreSQL database on the server in
/// <c>HUSTLE_TEST_POSTGRES</c>, copied from a template migrated once per test run, and dropped on dispose.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string ProviderVariable = "HUSTLE_TEST_PROVIDER";
    public const string PostgresVariable = "HUSTLE_TEST_POSTGRES";

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    private TestDatabase(string provider, string connectionString, string name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Name = name;
    }

    /// <summary><c>Sqlite</c> or <c>PostgreSQL</c>: the value for <c>Hustle:Database:Provider</c>.</summary>
    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The file (SQLite) or database name (PostgreSQL).</summary>
    public string Name { get; }

    public bool IsPostgres => Provider == "PostgreSQL";

    /// <summary>True when this test run is the PostgreSQL pass.</summary>
    public static bool PostgresRequested =>
        Environment.GetEnvironmentVariable(ProviderVariable) is { } p && (p.Equals("postgres", StringComparison.OrdinalIgnoreCase) || p.Equals("postgresql", StringComparison.OrdinalIgnoreCase));

    /// <summary>The provider this run asks for.</summary>
    public static TestDatabase Create() => PostgresRequested ? CreatePostgres() : CreateSqlite();

    public static TestDatabase CreateSqlite() => CreateSqlite(Path.Combine(Path.GetTempPath(), $"hustle-test-{Guid.NewGuid():N}.db"));

    /// <summary>A SQLite file at <paramref name="path"/>, which the app creates (with its folder) on start.</summary>
    public static TestDatabase CreateSqlite(string path) => new("Sqlite", $"Data Source={path};Default Timeout=60", path);

    public static TestDatabase CreatePostgres()
    {
        var server = ServerConnectionString();
        var template = Template(server);
        var name = $"hustle_test_{Guid.NewGuid():N}";
        Execute(server, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return new TestDatabase("PostgreSQL", WithDatabase(server, name), name);
    }

    /// <summary>The <c>postgres</c>-database connection string from the environment; a clear failure without it.</summary>
    public static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } conn
            ? conn
            : throw new InvalidOperationException($"{PostgresVariable} is not set: run ./test.sh, or eval \"$(scripts/dev-services.sh env)\" first.");

    public void Dispose()
    {
        if (IsPostgres)
        {
            using (var connection = new NpgsqlConnection(ConnectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }

            Execute(ServerConnectionString(), $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
            return;
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Name, Name + "-wal", Name + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static string WithDatabase(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 50 }.ConnectionString;

    /// <summary>
    /// One database per test run with the app's PostgreSQL migrations applied; every test database is a copy of it
    /// (CREATE DATABASE … TEMPLATE copies files, much faster than migrating each). The app still runs Migrate on
    /// start, which finds nothing to do. Dropped when the test process exits.
    /// </summary>
    private static string Template(string server)
    {
        TemplateGate.Wait();
        try
        {
            if (_template is not null)
            {
                return _template;
            }

            var name = $"hustle_template_{Guid.NewGuid():N}";
            Execute(server, $"CREATE DATABASE \"{name}\"");
            var connection = WithDatabase(server, name);
            using (var db = new PostgresHustleDb(new DbContextOptionsBuilder<PostgresHustleDb>().UseNpgsql(connection).Options))
            {
                db.Database.Migrate();
            }

            using (var c = new NpgsqlConnection(connection))
            {
                NpgsqlConnection.ClearPool(c); // a template must have no open connections to be copied
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                }
                catch (NpgsqlException)
                {
                    // The throwaway server may already be gone; it takes the template with it.
                }
            };
            return _template = name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
