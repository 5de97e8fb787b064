using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hustle.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Hustle.Web.Accounts;

/// <summary>
/// The data-protection key ring (it signs and encrypts every bearer token, refresh token and cookie) lives in the
/// database, where every node reads it; each key in it is encrypted with an X.509 certificate that does not, so a read
/// of the database or of a backup mints no token.
/// <list type="bullet">
/// <item><c>Hustle:DataProtection:CertificatePath</c> (+ <c>CertificatePassword</c>): the PFX that encrypts new keys
/// and decrypts them. Several nodes: the same file, configured on every node. When the setting is absent, the one-node
/// default <see cref="DefaultCertificatePath"/> is used, generated on first start (0600, folder 0700) and reused
/// afterwards; it is kept apart from the database folder so a copy of the database, or a backup of its folder, does not
/// carry the key that opens it. A configured path that does not exist stops start-up: a node that made its own
/// certificate could not read its peers' keys.</item>
/// <item><c>Hustle:DataProtection:PreviousCertificates:N:Path</c> (+ <c>:Password</c>): certificates that only decrypt,
/// for keys written before a rotation.</item>
/// </list>
/// </summary>
public static class KeyRingProtection
{
    public const string Section = "Hustle:DataProtection";
    public const string DefaultCertificatePath = "keys/dataprotection.pfx";

    /// <summary>Encrypts the key ring's keys with the configured certificate (loaded, or generated, now).</summary>
    public static IServiceCollection AddKeyRingProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var certificates = new KeyRingCertificates(configuration);
        services.AddDataProtection()
            .ProtectKeysWithCertificate(certificates.Current)
            .UnprotectKeysWithAnyCertificate([.. certificates.All]);
        return services;
    }

    /// <summary>
    /// Removes keys stored in plain text (written before keys were encrypted): whoever read the database then could
    /// still mint tokens with them. Runs before the key ring is first loaded; tokens made with them stop working, and
    /// the next protect makes a new, encrypted key. Revocation entries carry no secret and stay.
    /// </summary>
    public static async Task ForgetUnencryptedKeysAsync(HustleDb db)
    {
        var removed = await db.DataProtectionKeys.Where(k => k.Xml != null && k.Xml.Contains("<masterKey")).ExecuteDeleteAsync();
        if (removed > 0)
        {
            db.GetService<ILoggerFactory>().CreateLogger(typeof(KeyRingProtection))
                .LogWarning("Removed {Count} data-protection keys stored unencrypted; tokens and cookies made with them no longer work.", removed);
        }
    }

    /// <summary>A new self-signed RSA certificate for the key ring, written owner-only to <paramref name="path"/> unless a file is already there; returns the one in the file.</summary>
    public static X509Certificate2 CreateOrLoad(string path, string? password = null)
    {
        OwnerOnlyFiles.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path)));
        if (!File.Exists(path))
        {
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=Hustle data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var now = DateTimeOffset.UtcNow;
            using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFiles.FileMode;
            }

            using (var file = new FileStream(temporary, options))
            {
                file.Write(certificate.Export(X509ContentType.Pfx, password));
            }

            try
            {
                // No overwrite: when two processes start together on a fresh machine, the first file wins and both use it.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        return Load(path, password);
    }

    public static X509Certificate2 Load(string path, string? password) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, password);
}

/// <summary>The key-ring certificates named by configuration, loaded once.</summary>
public sealed class KeyRingCertificates
{
    public KeyRingCertificates(IConfiguration configuration)
    {
        var section = configuration.GetSection(KeyRingProtection.Section);
        var password = NullIfEmpty(section["CertificatePassword"]);
        if (NullIfEmpty(section["CertificatePath"]) is { } path)
        {
            Current = File.Exists(path)
                ? KeyRingProtection.Load(path, password)
                : throw new InvalidOperationException($"{KeyRingProtection.Section}:CertificatePath is '{path}', which does not exist: give every node the same PFX file (or remove the setting to generate one for a single node).");
        }
        else
        {
            Current = KeyRingProtection.CreateOrLoad(KeyRingProtection.DefaultCertificatePath, password);
        }

        var previous = section.GetSection("PreviousCertificates").GetChildren()
            .Select(c => (Path: NullIfEmpty(c["Path"]) ?? throw new InvalidOperationException($"{c.Path}:Path is empty."), Password: NullIfEmpty(c["Password"])))
            .Select(c => File.Exists(c.Path) ? KeyRingProtection.Load(c.Path, c.Password) : throw new InvalidOperationException($"{KeyRingProtection.Section}:PreviousCertificates names '{c.Path}', which does not exist."));
        All = [Current, .. previous];
    }

    /// <summary>Encrypts new keys, and decrypts.</summary>
    public X509Certificate2 Current { get; }

    /// <summary>The current certificate and the previous ones, every one able to decrypt.</summary>
    public IReadOnlyList<X509Certificate2> All { get; }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
