using System.ComponentModel.DataAnnotations;
using Hustle.Web.Infrastructure;

namespace Hustle.Web.Setup;

/// <summary><c>Hustle:BodyLimits</c>: the largest request bodies, in bytes (<see cref="BodyLimits"/> says why these sizes).</summary>
public sealed class BodyLimitOptions
{
    public const string Section = "Hustle:BodyLimits";

    /// <summary>Any endpoint of the JSON API; at least 16 KiB, or a valid job could not be posted.</summary>
    [Range(16 * 1024, 64L * 1024 * 1024)]
    public long ApiBytes { get; set; } = BodyLimits.DefaultApiBytes;

    /// <summary>The Stripe webhook's own cap.</summary>
    [Range(16 * 1024, 64L * 1024 * 1024)]
    public long StripeWebhookBytes { get; set; } = BodyLimits.DefaultStripeWebhookBytes;
}
