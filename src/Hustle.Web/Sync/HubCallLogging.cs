using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace Hustle.Web.Sync;

/// <summary>
/// A client's bad hub call is the client's mistake, not the server's: it is logged once as a warning, with the
/// reason and without a stack trace. SignalR itself logs a method's exception (a <see cref="HubException"/>
/// included) as an error with its stack, and bad arguments or an unknown method only at Debug; so its dispatcher's
/// category is silenced, this filter logs what a method threw (a real fault still as an error, with its stack), and
/// the JSON protocol is wrapped to log calls that could not be bound to a method (unknown name, wrong count or types).
/// </summary>
public sealed class HubCallLogging(ILogger<HubCallLogging> log) : IHubFilter
{
    internal const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocation);
        }
        catch (HubException e)
        {
            log.LogWarning("Hub call {Method} by {User} refused: {Reason}", invocation.HubMethodName, invocation.Context.UserIdentifier, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (invocation.Context.ConnectionAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "Hub call {Method} by {User} failed.", invocation.HubMethodName, invocation.Context.UserIdentifier);
            throw;
        }
    }

    /// <summary>The JSON protocol, telling of each call that names no method or does not fit its parameters.</summary>
    internal sealed class BindingFailureLogging(IHubProtocol inner, ILogger log) : IHubProtocol
    {
        public string Name => inner.Name;

        public int Version => inner.Version;

        public TransferFormat TransferFormat => inner.TransferFormat;

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
        {
            if (!inner.TryParseMessage(ref input, binder, out message))
            {
                return false;
            }

            if (message is InvocationBindingFailureMessage failure)
            {
                log.LogWarning("Hub call {Method} refused: {Reason}", failure.Target, failure.BindingFailure.SourceException.Message);
            }

            return true;
        }

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);

        public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);
    }
}

public static class HubCallLoggingSetup
{
    public static ISignalRServerBuilder AddHubCallLogging(this ISignalRServerBuilder signalR)
    {
        var services = signalR.Services;
        services.Configure<HubOptions>(o => o.AddFilter<HubCallLogging>());
        services.AddLogging(b => b.AddFilter(HubCallLogging.DispatcherCategory, LogLevel.Critical).AddFilter<ConsoleLoggerProvider>(HubCallLogging.DispatcherCategory, LogLevel.Critical));
        services.RemoveAll<IHubProtocol>();
        services.AddSingleton<IHubProtocol>(sp => new HubCallLogging.BindingFailureLogging(
            ActivatorUtilities.CreateInstance<JsonHubProtocol>(sp),
            sp.GetRequiredService<ILogger<HubCallLogging>>()));
        return signalR;
    }
}
