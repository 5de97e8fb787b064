using System.ComponentModel.DataAnnotations;

namespace Hustle.Web.Setup;

/// <summary>
/// <c>Hustle:Metrics</c>: where Prometheus reads this node's metrics. Unset, <c>GET /metrics</c> answers operators only,
/// like <c>/api/ops/metrics</c>. With a port, it also answers anyone whose connection came in on that port: a
/// management port the node listens on too (listed in <c>Urls</c>) and that only the internal network reaches.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Hustle:Metrics";

    /// <summary>Off: no meter is listened to (their instruments record nothing) and there is no <c>/metrics</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The management port; null when there is none.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }
}
