using Hustle.Web.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>The process dying at a chosen point of one request: nothing after it runs, and the client gets no answer.</summary>
public sealed class SimulatedCrash() : Exception("The process was killed here.");

/// <summary>
/// Where the next request dies. Every change publishes its pushes right after its commit, so a publisher that dies
/// is a process killed between the commit and everything after it; a response body that dies is a process killed
/// while the answer is on its way out. Once dead, nothing more reaches the client: the connection drops.
/// </summary>
public sealed class CrashSwitch
{
    private int _afterCommit;
    private int _whileAnswering;
    private int _dead;
    private TaskCompletionSource? _reached;
    private TaskCompletionSource? _release;

    public void AfterNextCommit() => Volatile.Write(ref _afterCommit, 1);

    public void WhileAnsweringNextRequest() => Volatile.Write(ref _whileAnswering, 1);

    /// <summary>The next commit's request stops right after it until <paramref name="release"/> completes; the task says it got there.</summary>
    public Task PauseAfterNextCommit(Task release)
    {
        _release = new TaskCompletionSource();
        release.ContinueWith(_ => _release.TrySetResult(), TaskScheduler.Default);
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _reached.Task;
    }

    private bool Armed => Volatile.Read(ref _afterCommit) == 1 || Volatile.Read(ref _whileAnswering) == 1;

    private bool Dead => Volatile.Read(ref _dead) == 1;

    private void Die()
    {
        Volatile.Write(ref _dead, 1);
        throw new SimulatedCrash();
    }

    /// <summary>Pushes pass through to the real publisher unless the switch says the process dies here.</summary>
    internal sealed class Publisher(SignalRFeedPublisher real, CrashSwitch crash) : IFeedPublisher
    {
        public void Publish(IReadOnlyList<FeedPush> pushes)
        {
            if (Interlocked.Exchange(ref crash._afterCommit, 0) == 1)
            {
                crash.Die();
            }

            if (Interlocked.Exchange(ref crash._reached, null) is { } reached)
            {
                reached.SetResult();
                // Publish is synchronous: the request thread waits here as a slow request would.
                crash._release!.Task.Wait(TimeSpan.FromSeconds(30));
            }

            real.Publish(pushes);
        }
    }

    /// <summary>First in the pipeline: after a crash nothing is written (not even an error page) and the connection drops.</summary>
    internal sealed class Connection(CrashSwitch crash) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, inner) =>
            {
                if (!crash.Armed)
                {
                    await inner(http);
                    return;
                }

                if (Interlocked.Exchange(ref crash._whileAnswering, 0) == 1)
                {
                    Volatile.Write(ref crash._dead, 1);
                }

                http.Response.Body = new DyingStream(http.Response.Body, crash);
                try
                {
                    await inner(http);
                }
                catch (Exception) when (crash.Dead)
                {
                }

                if (Interlocked.Exchange(ref crash._dead, 0) == 1)
                {
                    http.Abort();
                }
            });
            next(app);
        };
    }

    /// <summary>The response body of a process that may die: once dead, every write fails.</summary>
    private sealed class DyingStream(Stream inner, CrashSwitch crash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => Check().Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => Check().FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Check().Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Check().WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => Check().WriteAsync(buffer, cancellationToken);

        private Stream Check() => crash.Dead ? throw new SimulatedCrash() : inner;
    }
}

public sealed class CrashingApp : TestApp
{
    public CrashSwitch Crash => Services.GetRequiredService<CrashSwitch>();

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<CrashSwitch>();
        services.AddSingleton<CrashSwitch.Publisher>();
        services.RemoveAll<IFeedPublisher>();
        services.AddSingleton<IFeedPublisher>(sp => sp.GetRequiredService<CrashSwitch.Publisher>());
        services.AddSingleton<IStartupFilter, CrashSwitch.Connection>();
    }
}
