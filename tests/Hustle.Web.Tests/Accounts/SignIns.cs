using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hustle.Web.Accounts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Accounts;

/// <summary>The tokens of one password sign-in (one device).</summary>
public sealed record SignIn(string AccessToken, string RefreshToken);

public static class SignIns
{
    public static async Task<SignIn> SignInOnDeviceAsync(this TestApp app, string email, string password = TestUser.Password)
    {
        var body = await (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password })).Json();
        Assert.Equal("Bearer", body.Str("tokenType"));
        Assert.True(body.GetProperty("expiresIn").GetInt64() > 0);
        return new SignIn(body.Str("accessToken"), body.Str("refreshToken"));
    }

    public static HttpClient Bearer(this TestApp app, string accessToken)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public static Task<HttpResponseMessage> RefreshAsync(this TestApp app, string refreshToken) =>
        app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    public static async Task<int> MeStatusAsync(this TestApp app, string accessToken) =>
        (int)(await app.Bearer(accessToken).GetAsync("/api/me")).StatusCode;

    /// <summary>Completes when <paramref name="connection"/> closes (the server dropped it), within the hub patience.</summary>
    public static Task ClosedAsync(this HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return connection.State == HubConnectionState.Disconnected ? Task.CompletedTask : closed.Task.WaitAsync(Sync.HubInbox.Patience);
    }

    public static async Task<IReadOnlyList<UserSession>> SessionsOfAsync(this TestApp app, string userId)
    {
        await using var db = app.Db();
        return await db.Set<UserSession>().AsNoTracking().Where(s => s.UserId == userId).ToListAsync();
    }
}
