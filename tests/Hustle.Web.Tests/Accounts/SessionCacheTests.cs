using Microsoft.EntityFrameworkCore;
using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hustle.Web.Tests.Accounts;

/// <summary>Hustle that keeps the SQL of every database command it runs.</summary>
public sealed class CommandLogApp : TestApp
{
    public ConcurrentQueue<string> Commands { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddLogging(b => b
            .AddProvider(new CommandLog(Commands))
            .AddFilter<CommandLog>(DbLoggerCategory.Database.Command.Name, LogLevel.Information));

    public int SessionQueries() => Commands.Count(c => c.Contains("UserSessions", StringComparison.Ordinal));

    private sealed class CommandLog(ConcurrentQueue<string> commands) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => categoryName == DbLoggerCategory.Database.Command.Name ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            commands.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}

/// <summary>The session check on every request reads the database once per session and cache lifetime, not per request.</summary>
public sealed class SessionCacheTests(CommandLogApp app) : IClassFixture<CommandLogApp>
{
    [Fact]
    public async Task Requests_of_a_known_session_cost_no_session_query_until_it_is_revoked()
    {
        var user = await app.CreateUserAsync("busy");
        Assert.Equal(200, await app.MeStatusAsync(user.Token));
        var before = app.SessionQueries();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(200, await app.MeStatusAsync(user.Token));
        }

        Assert.Equal(before, app.SessionQueries());
        (await user.Client.PostAsync("/api/auth/logout", null)).EnsureSuccessStatusCode();
        Assert.Equal(401, await app.MeStatusAsync(user.Token));
        Assert.True(app.SessionQueries() > before);
    }
}
