using Hustle.Web.Infrastructure;
using Hustle.Web.Sync;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hustle.Web.Setup;

/// <summary>The hub, its backplane across nodes, presence, and the queue that pushes committed events.</summary>
public static class SyncSetup
{
    public static IServiceCollection AddHustleSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSignalR()
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .AddHustleBackplane(configuration)
            .AddHubCallLogging();
        services.AddHubAccessTokenOutOfUrls();
        services.AddSingleton<SyncMetrics>();
        services.AddScoped<FeedWriter>();
        services.AddSettings<PushQueueOptions>(configuration, PushQueueOptions.Section);
        services.AddSingleton<SignalRFeedPublisher>();
        services.AddSingleton<IFeedPublisher>(sp => sp.GetRequiredService<SignalRFeedPublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<SignalRFeedPublisher>());
        services.TryAddSingleton<IPresenceStore, InMemoryPresenceStore>(); // AddHustleBackplane registers Redis presence first when configured
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<TypingThrottle>();
        return services;
    }
}
