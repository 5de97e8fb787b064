using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.SignalR;

namespace Hustle.Web.Sync;

/// <summary>
/// The one hub. Clients never join groups of their choosing: events go to <c>Clients.User(id)</c>, the user id
/// coming from the authenticated connection.
/// </summary>
[Authorize]
public sealed class SyncHub(SyncMetrics metrics) : Hub<ISyncClient>
{
    public override Task OnConnectedAsync()
    {
        metrics.Connected(Transport());
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.Disconnected(Transport());
        return base.OnDisconnectedAsync(exception);
    }

    private string Transport() => Context.Features.Get<IHttpTransportFeature>()?.TransportType.ToString() ?? "unknown";
}
