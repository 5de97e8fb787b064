using System.ComponentModel.DataAnnotations;

namespace Hustle.Web.Setup;

/// <summary><c>Hustle:RateLimits</c>: how much one client or user may do per minute, and how many writes run at once.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Hustle:RateLimits";

    /// <summary>Sign-in and registration attempts per client address.</summary>
    [Range(1, int.MaxValue)]
    public int SignInPerMinute { get; set; } = 20;

    /// <summary>Start and completion code attempts per user, on top of the code's own lockout.</summary>
    [Range(1, int.MaxValue)]
    public int CodeEntryPerMinute { get; set; } = 10;

    [Range(1, int.MaxValue)]
    public int MessagesPerMinute { get; set; } = 30;

    [Range(1, int.MaxValue)]
    public int JobsPerMinute { get; set; } = 60;

    [Range(1, int.MaxValue)]
    public int OffersPerMinute { get; set; } = 120;

    [Range(1, int.MaxValue)]
    public int ThreadsPerMinute { get; set; } = 60;

    /// <summary>State-changing API requests processed at once.</summary>
    [Range(1, 100_000)]
    public int ConcurrentWrites { get; set; } = 64;

    /// <summary>Writes that may wait for a turn; beyond, 429 (0: none wait).</summary>
    [Range(0, 1_000_000)]
    public int WriteQueue { get; set; } = 2000;
}
