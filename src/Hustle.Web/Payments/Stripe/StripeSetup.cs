using Microsoft.Extensions.Options;
using Stripe;

namespace Hustle.Web.Payments.Stripe;

public static class StripeSetup
{
    /// <summary>Stripe as the payment provider: its options (checked at start-up), one API client, the gateway.</summary>
    public static IServiceCollection AddStripeGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StripeOptions>().Bind(configuration.GetSection(StripeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidation>();
        services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<StripeOptions>>().Value));
        services.AddSingleton<StripeCustomers>();
        services.AddSingleton<StripeGateway>();
        services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<StripeGateway>());
        services.AddSingleton<IPaymentMethodRules>(sp => sp.GetRequiredService<StripeGateway>());
        return services;
    }

    public static StripeClient CreateClient(StripeOptions options)
    {
        var handler = new RateLimitedIsRetryable { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
        var http = new HttpClient(handler) { Timeout = options.RequestTimeout };
        return new StripeClient(new StripeClientOptions
        {
            ApiKey = options.SecretKey,
            ApiBase = string.IsNullOrEmpty(options.ApiBase) ? null : options.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(http, options.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
        });
    }
}
