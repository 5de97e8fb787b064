using System.ComponentModel.DataAnnotations;

namespace Hustle.Web;

/// <summary>The <c>Hustle</c> section's own durations. Every key is documented in the README.</summary>
public sealed class HustleOptions
{
    public const string Section = "Hustle";

    /// <summary>When a job expires if the customer does not say: this long after posting.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan DefaultJobExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a customer has to confirm before Hustle confirms for them.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan AutoConfirmWindow { get; set; } = TimeSpan.FromHours(72);

    /// <summary>How often background sweeps (expiry, auto-confirm, holds, reconciliation) look for work.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether this node runs the background sweeps (tests run them by hand).</summary>
    public bool RunSweeps { get; set; } = true;

    /// <summary>How long feed events are kept; a cursor older than this gets <c>resetRequired</c>.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan FeedRetention { get; set; } = TimeSpan.FromDays(30);
}
