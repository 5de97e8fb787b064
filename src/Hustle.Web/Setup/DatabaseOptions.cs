using System.ComponentModel.DataAnnotations;

namespace Hustle.Web.Setup;

/// <summary>
/// Which database and where: <c>Hustle:Database:Provider</c>, <c>ConnectionStrings:Hustle</c>,
/// <c>Hustle:SqliteSynchronous</c> and <c>Hustle:SqliteGroupCommit</c>, bound from the configuration's root because
/// they live in different sections.
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSQL";
    public const string DefaultSqliteConnection = "Data Source=data/hustle.db";

    [ConfigurationKeyName("Hustle:Database:Provider")]
    public string? Provider { get; set; }

    [ConfigurationKeyName("ConnectionStrings:Hustle")]
    public string? ConnectionString { get; set; }

    /// <summary>SQLite's <c>PRAGMA synchronous</c>: <c>FULL</c> (SQLite's default when unset) or <c>NORMAL</c>.</summary>
    [ConfigurationKeyName("Hustle:SqliteSynchronous")]
    [AllowedValues(null, "", "FULL", "NORMAL", ErrorMessage = "Hustle:SqliteSynchronous is FULL or NORMAL.")]
    public string? SqliteSynchronous { get; set; }

    /// <summary>
    /// SQLite: changes written at the same moment share one transaction and one disk sync
    /// (<see cref="Data.SqliteGroupCommit"/>), so FULL's durability costs no throughput. Off, each commits on its own.
    /// </summary>
    [ConfigurationKeyName("Hustle:SqliteGroupCommit")]
    public bool SqliteGroupCommit { get; set; } = true;

    /// <summary>Unset is SQLite; <c>Postgres</c> is accepted for PostgreSQL.</summary>
    public bool IsPostgres => Provider is { } p && (p.Equals(PostgreSql, StringComparison.OrdinalIgnoreCase) || p.Equals("Postgres", StringComparison.OrdinalIgnoreCase));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsPostgres && !string.IsNullOrEmpty(Provider) && !Provider.Equals(Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Hustle:Database:Provider '{Provider}' is not known: use Sqlite or PostgreSQL.", [nameof(Provider)]);
        }

        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Hustle:Database:Provider is PostgreSQL but ConnectionStrings:Hustle is empty: give an Npgsql connection string (Host=...;Database=...;Username=...).",
                [nameof(ConnectionString)]);
        }
    }
}
