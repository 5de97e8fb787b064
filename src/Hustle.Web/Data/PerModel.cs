using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Hustle.Web.Data;

/// <summary>
/// A compiled query for each model it runs on. EF binds a compiled query to the first model that runs it and refuses
/// any other, and SQLite and PostgreSQL have a model each: a process holding both (the test runs do) would fail the
/// second one. The lookup is one weak-table read per call.
/// </summary>
/// <param name="compile">Compiles the query: <c>() => EF.CompileAsyncQuery(...)</c>.</param>
public sealed class PerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _compiled = new();

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TQuery For(DbContext db) => _compiled.GetValue(db.Model, _ => compile());
}
