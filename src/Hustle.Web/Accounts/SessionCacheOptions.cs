using System.ComponentModel.DataAnnotations;

namespace Hustle.Web.Accounts;

/// <summary><c>Hustle:Sessions</c>: how long a node trusts what it last read about a session.</summary>
public sealed class SessionCacheOptions
{
    public const string Section = "Hustle:Sessions";

    /// <summary>
    /// A node remembers a session's state this long. A revocation evicts it at once on the node that made it and, over
    /// Redis, on every other node; without Redis another node may accept a revoked token for at most this long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(1);
}
