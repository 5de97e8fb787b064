namespace Hustle.Scale.Tests;

/// <summary>A test class whose every test gets a fresh two-node <see cref="Scale.Tests.Cluster"/>, disposed after it.</summary>
public abstract class ClusterTest : IAsyncLifetime
{
    protected Cluster Cluster { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Cluster = Cluster.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
