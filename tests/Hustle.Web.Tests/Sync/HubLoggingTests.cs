using Hustle.Web.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hustle.Web.Tests.Sync;

/// <summary>Hustle with every log entry of every category at every level kept (EF Core's SQL aside).</summary>
public sealed class LoggedTestApp : TestApp
{
    public CapturedLogs Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    };

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
}

public sealed class HubLoggingTests(LoggedTestApp app) : IClassFixture<LoggedTestApp>
{
    [Theory]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task The_hubs_access_token_in_the_query_string_never_reaches_a_log_line(HttpTransportType transport)
    {
        var user = await app.CreateUserAsync("logged");
        var server = app.Server;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, $"/hubs/sync?access_token={Uri.EscapeDataString(user.Token)}"), o =>
            {
                o.Transports = transport;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
            })
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .Build();

        await connection.StartAsync();
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Typing", "thr_unknown"));
        await connection.StopAsync();

        var entries = app.Logs.Entries;
        Assert.Contains(entries, e => e.Message.StartsWith("Request starting", StringComparison.Ordinal) && e.Message.Contains("/hubs/sync", StringComparison.Ordinal));
        var leaks = entries.Where(e => e.Everything.Contains(user.Token[..32], StringComparison.Ordinal) || e.Everything.Contains("access_token=", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, "The token was logged: " + string.Join(" | ", leaks.Select(l => $"{l.Category} {l.Level}: {l.Message}")));
    }

    [Fact]
    public async Task A_clients_bad_hub_calls_are_warnings_without_a_stack_trace()
    {
        var user = await app.CreateUserAsync("clumsy");
        await using var connection = app.Hub(user, HttpTransportType.WebSockets);
        await connection.StartAsync();
        var before = app.Logs.Entries.Count;

        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("NoSuchMethod"));
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Typing"));
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Typing", "thr_a", "thr_b"));
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Typing", 42));
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Typing", "thr_unknown"));

        var entries = app.Logs.Entries.Skip(before).ToList();
        var warnings = entries.Where(e => e.Level == LogLevel.Warning && e.Category.EndsWith("HubCallLogging", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, warnings.Count);
        Assert.All(warnings, w => Assert.Null(w.Exception));
        Assert.Equal(1, warnings.Count(w => w.Message.Contains("NoSuchMethod", StringComparison.Ordinal)));
        Assert.Equal(1, warnings.Count(w => w.Message.Contains("No such thread.", StringComparison.Ordinal)));
        var worse = entries.Where(e => e.Level >= LogLevel.Error || (e.Exception is not null && e.Category.Contains("SignalR", StringComparison.Ordinal))).ToList();
        Assert.True(worse.Count == 0, "Logged as more than a warning: " + string.Join(" | ", worse.Select(l => $"{l.Category} {l.Level}: {l.Message} {l.Exception}")));
    }
}
