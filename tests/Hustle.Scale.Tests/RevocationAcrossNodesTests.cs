using Hustle.Web.Accounts;
using Hustle.Web.Tests;
using Hustle.Web.Tests.Accounts;
using Hustle.Web.Tests.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Scale.Tests;

/// <summary>A sign-out on one node ends the session on the other at once: its cache entry and its hub connections.</summary>
public sealed class RevocationAcrossNodesTests : ClusterTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var node in Cluster.Nodes)
        {
            await node.Services.GetRequiredService<RevocationListener>().Subscribed.WaitAsync(HubInbox.Patience);
        }
    }

    [Fact]
    public async Task Logout_through_node_A_drops_the_sessions_connection_on_node_B_and_B_refuses_its_token_before_its_cache_expires()
    {
        var (a, b) = (Cluster.A, Cluster.B);
        var user = await a.CreateUserAsync("roamer");
        var phone = await a.SignInOnDeviceAsync(user.Email);
        var phoneUser = user with { Token = phone.AccessToken };
        Assert.Equal(200, await b.MeStatusAsync(phone.AccessToken));
        await using var onB = await HubInbox.ConnectAsync(b, phoneUser);
        var closed = onB.Connection.ClosedAsync();

        (await a.Bearer(phone.AccessToken).PostAsync("/api/auth/logout", null)).EnsureSuccessStatusCode();

        await closed;
        Assert.Equal(401, await b.MeStatusAsync(phone.AccessToken));
        Assert.Equal(200, await b.MeStatusAsync(user.Token));
    }

    [Fact]
    public async Task A_password_change_on_node_A_drops_every_connection_of_the_user_on_node_B()
    {
        var (a, b) = (Cluster.A, Cluster.B);
        var user = await a.CreateUserAsync("changer");
        var laptop = await b.SignInOnDeviceAsync(user.Email);
        Assert.Equal(200, await b.MeStatusAsync(laptop.AccessToken));
        await using var onB = await HubInbox.ConnectAsync(b, user with { Token = laptop.AccessToken });
        var closed = onB.Connection.ClosedAsync();

        (await a.As(user).Client.PostAsync("/api/auth/manage/info", System.Net.Http.Json.JsonContent.Create(new { oldPassword = TestUser.Password, newPassword = "Another-horse-7" }))).EnsureSuccessStatusCode();

        await closed;
        Assert.Equal(401, await b.MeStatusAsync(laptop.AccessToken));
        Assert.Equal(401, await b.MeStatusAsync(user.Token));
    }
}
