using System.Net.Http.Headers;
using Hustle.Web.Accounts;
using Hustle.Web.Tests;
using Microsoft.Extensions.Time.Testing;

namespace Hustle.Scale.Tests;

/// <summary>One Hustle node of several: its own host and services, the cluster's database, clock and Redis.</summary>
public sealed class Node(string name, TestDatabase database, FakeTimeProvider clock, IReadOnlyDictionary<string, string?> settings) : TestApp(database, clock)
{
    public string Name { get; } = name;

    protected override IReadOnlyDictionary<string, string?> Settings => settings;

    /// <summary><paramref name="user"/> (signed up on any node) with an HTTP client that talks to this node.</summary>
    public TestUser As(TestUser user)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return user with { Client = client };
    }

    public override string ToString() => Name;
}

/// <summary>
/// Two Hustle nodes, A and B, on one fresh PostgreSQL database (HUSTLE_TEST_POSTGRES) and one key-ring certificate, one fake clock and one
/// Redis backplane: the shared one from test.sh (HUSTLE_TEST_REDIS), or an address a test controls. Each
/// cluster uses its own Redis channel prefix, so clusters of tests running side by side never hear each other.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    public const string RedisVariable = "HUSTLE_TEST_REDIS";

    private Cluster(TestDatabase database, string redis, IReadOnlyDictionary<string, string?>? extra)
    {
        Database = database;
        Redis = redis;
        var settings = new Dictionary<string, string?>
        {
            ["Hustle:Redis"] = redis,
            ["Hustle:RedisChannelPrefix"] = $"hustle-test-{Guid.NewGuid():N}",
            // Every node of a deployment decrypts the shared key ring with the same certificate (docs/DEPLOYMENT.md).
            [$"{KeyRingProtection.Section}:CertificatePath"] = TestCertificate.Path,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        A = new Node("A", database, Clock, settings);
        B = new Node("B", database, Clock, settings);
    }

    public TestDatabase Database { get; }

    public string Redis { get; }

    public FakeTimeProvider Clock { get; } = new(TestApp.Start);

    public Node A { get; }

    public Node B { get; }

    public IReadOnlyList<Node> Nodes => [A, B];

    /// <summary>Starts both nodes (A first: it migrates; B finds the schema current) on the shared Redis, or on <paramref name="redis"/>.</summary>
    public static Cluster Start(string? redis = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var cluster = new Cluster(TestDatabase.CreatePostgres(), redis ?? SharedRedis(), settings);
        _ = cluster.A.Server;
        _ = cluster.B.Server;
        return cluster;
    }

    public static string SharedRedis() =>
        Environment.GetEnvironmentVariable(RedisVariable) is { Length: > 0 } redis
            ? redis
            : throw new InvalidOperationException($"{RedisVariable} is not set: run ./test.sh, or eval \"$(scripts/dev-services.sh env)\" first.");

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        Database.Dispose();
    }
}
