using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Web.Tests.Sync;

public sealed class ShortTokenApp : TestApp
{
    /// <summary>
    /// SignalR checks a connection's expiry against the real clock, so this app's tokens are stamped with the real
    /// clock too, and live three seconds.
    /// </summary>
    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.PostConfigure<BearerTokenOptions>(IdentityConstants.BearerScheme, o =>
        {
            o.TimeProvider = TimeProvider.System;
            o.BearerTokenExpiration = TimeSpan.FromSeconds(3);
        });
}

/// <summary>A connection lives no longer than the sign-in it was opened with.</summary>
public sealed class AuthExpiryTests(ShortTokenApp app) : IClassFixture<ShortTokenApp>
{
    [Fact]
    public async Task The_hub_closes_a_connection_when_its_token_expires()
    {
        var user = await app.CreateUserAsync("expiring");
        await using var connection = app.Hub(user, HttpTransportType.WebSockets);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        Assert.Equal(HubConnectionState.Connected, connection.State);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        Assert.Equal(401, (int)(await user.Client.GetAsync("/api/me")).StatusCode);
    }
}
