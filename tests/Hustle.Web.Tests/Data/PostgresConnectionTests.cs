using Hustle.Web.Setup;
using Npgsql;

namespace Hustle.Web.Tests.Data;

/// <summary>How the node opens PostgreSQL: the hot statements prepared per connection unless the operator chose otherwise.</summary>
public sealed class PostgresConnectionTests
{
    [Fact]
    public void Without_a_choice_in_the_connection_string_the_node_prepares_up_to_100_statements_per_connection()
    {
        var chosen = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithAutoPrepare("Host=db.internal;Username=hustle;Database=hustle"));

        Assert.Equal(100, chosen.MaxAutoPrepare);
        Assert.Equal("db.internal", chosen.Host);
        Assert.Equal("hustle", chosen.Database);
    }

    [Fact]
    public void An_operators_own_auto_prepare_setting_is_kept()
    {
        var chosen = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithAutoPrepare("Host=db.internal;Max Auto Prepare=5;Auto Prepare Min Usages=2"));

        Assert.Equal(5, chosen.MaxAutoPrepare);
        Assert.Equal(2, chosen.AutoPrepareMinUsages);
    }
}
