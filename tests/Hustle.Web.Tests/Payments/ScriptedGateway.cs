using System.Collections.Concurrent;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hustle.Web.Tests.Payments;

/// <summary>
/// The simulated provider with a script: after a call named in <see cref="LoseNextAnswer"/> takes effect, Hustle
/// sees a network error instead of the answer, as when the process dies between the gateway call and the commit
/// (the journal entry stays <c>Started</c>); after a call named in <see cref="BeforeNextAnswer"/> takes effect,
/// something else happens first (a racing request commits) and then Hustle gets the answer.
/// </summary>
public sealed class ScriptedGateway(SimulatedGateway inner) : IPaymentGateway
{
    private readonly ConcurrentDictionary<string, byte> _lose = new();
    private readonly ConcurrentDictionary<string, Func<Task>> _meanwhile = new();

    public string Name => inner.Name;

    /// <summary>While true, every call fails as if the provider could not be reached, and nothing happens there.</summary>
    public bool Unreachable { get; set; }

    public void LoseNextAnswer(string operation) => _lose[operation] = 0;

    public void BeforeNextAnswer(string operation, Func<Task> meanwhile) => _meanwhile[operation] = meanwhile;

    public Task<GatewayResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken ct) => Script("authorize", () => inner.AuthorizeAsync(request, ct));

    public Task<GatewayResult> IncreaseAsync(ChangeAmountRequest request, CancellationToken ct) => Script("increase", () => inner.IncreaseAsync(request, ct));

    public Task<GatewayResult> CaptureAsync(CaptureRequest request, CancellationToken ct) => Script("capture", () => inner.CaptureAsync(request, ct));

    public Task<GatewayResult> VoidAsync(HoldRequest request, CancellationToken ct) => Script("void", () => inner.VoidAsync(request, ct));

    public Task<GatewayResult> RefundAsync(RefundRequest request, CancellationToken ct) => Script("refund", () => inner.RefundAsync(request, ct));

    private async Task<GatewayResult> Script(string operation, Func<Task<GatewayResult>> call)
    {
        if (Unreachable)
        {
            throw new HttpRequestException($"provider unreachable for {operation}");
        }

        var result = await call();
        if (_meanwhile.TryRemove(operation, out var meanwhile))
        {
            await meanwhile();
        }

        return _lose.TryRemove(operation, out _) ? throw new HttpRequestException($"connection reset after {operation}") : result;
    }
}

public sealed class ScriptedGatewayApp : TestApp
{
    public ScriptedGateway Gateway => (ScriptedGateway)Services.GetRequiredService<IPaymentGateway>();

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.RemoveAll<IPaymentGateway>();
        services.AddSingleton<IPaymentGateway>(sp => new ScriptedGateway(sp.GetRequiredService<SimulatedGateway>()));
    }
}
