using System.Security.Cryptography;

namespace Hustle.Web.Infrastructure;

/// <summary>Opaque, unguessable ids (128 random bits) with a readable prefix: <c>job_…</c>, <c>off_…</c>.</summary>
public static class Ids
{
    public static string New(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";

    /// <summary>A 6-digit code from a cryptographic source.</summary>
    public static string Code() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
}
