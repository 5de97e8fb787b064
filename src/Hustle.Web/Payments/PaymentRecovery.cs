namespace Hustle.Web.Payments;

/// <summary>
/// When a node starts, the money a crashed process left in flight is settled before the node serves anyone
/// (<see cref="PaymentReconciler.RecoverAfterRestartAsync"/>): a customer charged by a confirmation cut off by the
/// crash sees the job PAID at once, not after the reconciler's grace. A failure here only delays that to the sweeps.
/// </summary>
public sealed class PaymentRecovery(IServiceScopeFactory scopes, ILogger<PaymentRecovery> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<PaymentReconciler>().RecoverAfterRestartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Settling the payments left in flight failed; the sweeps will settle them after their grace.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
