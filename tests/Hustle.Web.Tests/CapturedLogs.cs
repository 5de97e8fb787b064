using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hustle.Web.Tests;

/// <summary>One log entry as any sink could write it: the formatted message, every structured value, the exception, the scopes.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, string Values, Exception? Exception)
{
    /// <summary>Everything about the entry a sink might print, as one string.</summary>
    public string Everything => $"{Category} {Level} {Message} {Values} {Exception}";
}

/// <summary>A logger provider that keeps every entry it is given (levels as configured for the app).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private static string ValuesOf(object? state) =>
        state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : state?.ToString() ?? "";

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            entries.Enqueue(new CapturedLog(category, LogLevel.None, "scope " + state, ValuesOf(state), null));
            return new Scope();
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), ValuesOf(state), exception));

        private sealed class Scope : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
