using System.ComponentModel.DataAnnotations;

namespace Hustle.Web.Setup;

/// <summary><c>Hustle:Client</c>: what <c>/api/config</c> tells the web client about polling the feed.</summary>
public sealed class ClientOptions
{
    public const string Section = "Hustle:Client";

    /// <summary>Seconds between feed polls while the client's socket is up.</summary>
    [Range(1, 3600)]
    public int PollConnectedSeconds { get; set; } = 60;

    /// <summary>… and while it is down.</summary>
    [Range(1, 3600)]
    public int PollDisconnectedSeconds { get; set; } = 15;
}
