using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Payments;
using Hustle.Web.Payments.Stripe;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Hustle.Web.Setup;

/// <summary>What operators and the web client read about the node: the API document, health, the client's settings.</summary>
public static class OperationsSetup
{
    public static IServiceCollection AddHustleApiDocs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ClientOptions>(configuration, ClientOptions.Section);
        services.AddOpenApi(ApiDocument.Describe);
        services.AddHealthChecks().AddDbContextCheck<HustleDb>("database");
        return services;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.DisableDefaultFonts()); // its fonts come from its CDN, which the page's policy does not allow
        app.MapHealthChecks("/health");
        app.MapGet("/api/config", (IPaymentGateway gateway, IOptions<ClientOptions> client, IServiceProvider services) => new
        {
            PaymentProvider = gateway.Name,
            StripePublishableKey = gateway.Name == StripeGateway.ProviderName ? services.GetRequiredService<IOptions<StripeOptions>>().Value.PublishableKey : null,
            client.Value.PollConnectedSeconds,
            client.Value.PollDisconnectedSeconds,
        }).WithTags("Operations").WithName("getClientConfig").WithSummary("Read the client's settings: payment provider and polling intervals");
        return app;
    }
}
