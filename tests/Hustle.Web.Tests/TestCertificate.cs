using Hustle.Web.Accounts;

namespace Hustle.Web.Tests;

/// <summary>
/// The key-ring certificate every test node uses: made once per test run (an RSA key takes a moment) in a temp folder,
/// the way a node makes its default one, and removed when the run ends. Nodes that share a database share it too.
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<string> Certificate = new(Create);

    public static string Path => Certificate.Value;

    private static string Create()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hustle-test-keys-{Guid.NewGuid():N}");
        var path = System.IO.Path.Combine(folder, "dataprotection.pfx");
        KeyRingProtection.CreateOrLoad(path).Dispose();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return path;
    }
}
