using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using Hustle.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hustle.Web.Tests.Data;

/// <summary>A second node on another test's database, with the key-ring certificate it is given.</summary>
public sealed class PeerNode(TestApp first, string certificatePath) : TestApp(first.Database, first.Clock)
{
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { [$"{KeyRingProtection.Section}:CertificatePath"] = certificatePath };
}

[UnsupportedOSPlatform("windows")]
public sealed class KeyRingAtRestTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Every_stored_key_is_encrypted_with_the_certificate_and_holds_no_plaintext_master_key()
    {
        await app.CreateUserAsync("keyed");

        await using var db = app.Db();
        // Keys, not revocation entries (which carry no secret; another test of this class writes one).
        var keys = (await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync()).Where(xml => xml.StartsWith("<key ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }

    [Fact]
    public async Task A_node_with_the_same_certificate_reads_the_first_nodes_tokens_and_a_node_with_another_certificate_cannot()
    {
        var user = await app.CreateUserAsync("token");
        var other = Path.Combine(Path.GetTempPath(), $"hustle-test-other-{Guid.NewGuid():N}", "dataprotection.pfx");
        try
        {
            KeyRingProtection.CreateOrLoad(other).Dispose();
            await using var twin = new PeerNode(app, TestCertificate.Path);
            await using var stranger = new PeerNode(app, other);

            Assert.Equal(HttpStatusCode.OK, (await MeAsync(twin, user.Token)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(stranger, user.Token)).StatusCode);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(other)!, recursive: true);
        }
    }

    [Fact]
    public async Task Keys_stored_in_plain_text_before_are_removed_when_a_node_starts_and_revocations_stay()
    {
        await app.CreateUserAsync("before");
        await using (var db = app.Db())
        {
            db.DataProtectionKeys.Add(new() { FriendlyName = "plain", Xml = "<key id=\"7d1c2f43-1111-4a4a-9b9b-000000000001\" version=\"1\"><descriptor><masterKey><value>AAAA</value></masterKey></descriptor></key>" });
            db.DataProtectionKeys.Add(new() { FriendlyName = "revocation", Xml = "<revocation version=\"1\"><revocationDate>2026-01-01T00:00:00Z</revocationDate><key id=\"7d1c2f43-1111-4a4a-9b9b-000000000002\" /></revocation>" });
            await db.SaveChangesAsync();
        }

        await using var restarted = new PeerNode(app, TestCertificate.Path);
        _ = restarted.Server;

        await using var after = app.Db();
        var names = await after.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync();
        Assert.DoesNotContain("plain", names);
        Assert.Contains("revocation", names);
        Assert.Contains(names, n => n!.StartsWith("key-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_generated_certificate_is_owner_only_in_an_owner_only_folder_and_reused()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"hustle-test-keys-{Guid.NewGuid():N}");
        var path = Path.Combine(folder, "keys", "dataprotection.pfx");
        try
        {
            using var first = KeyRingProtection.CreateOrLoad(path);
            using var second = KeyRingProtection.CreateOrLoad(path);

            Assert.Equal(first.Thumbprint, second.Thumbprint);
            Assert.True(first.HasPrivateKey);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<HttpResponseMessage> MeAsync(TestApp node, string token)
    {
        var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/me");
    }
}

/// <summary>A node on a SQLite file in a folder that does not exist yet, whatever provider this test run is for.</summary>
public sealed class FreshFolderSqliteApp() : TestApp(TestDatabase.CreateSqlite(Path.Combine(Path.GetTempPath(), $"hustle-test-{Guid.NewGuid():N}", "data", "hustle.db")), new FakeTimeProvider(Start), ownsDatabase: true)
{
    private bool _disposed;

    /// <summary>Once: the factory's DisposeAsync and Dispose both end here, and the second would find the folder gone.</summary>
    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        base.Dispose(disposing);
        var folder = Path.GetDirectoryName(Path.GetDirectoryName(Database.Name))!;
        if (disposing && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

[UnsupportedOSPlatform("windows")]
public sealed class SqliteFileModeTests(FreshFolderSqliteApp app) : IClassFixture<FreshFolderSqliteApp>
{
    [Fact]
    public async Task The_SQLite_database_its_log_files_and_the_folder_it_creates_are_owner_only()
    {
        await app.CreateUserAsync("private");

        var file = app.Database.Name;
        Assert.True(File.Exists(file + "-wal"));
        Assert.All(new[] { file, file + "-wal", file + "-shm" }, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
    }
}
