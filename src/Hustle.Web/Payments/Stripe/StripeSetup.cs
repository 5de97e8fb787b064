using Microsoft.Extensions.Options;
using Stripe;

namespace Hustle.Web.Payments.Stripe;

public static class StripeSetup
{
    /// <summary>The named <see cref="HttpClient"/> Stripe.net sends through (tests add handlers to it).</summary>
    public const string HttpClientName = "stripe";

    /// <summary>Stripe as the payment provider: its options (checked at start-up), one API client, the gateway.</summary>
    public static IServiceCollection AddStripeGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StripeOptions>().Bind(configuration.GetSection(StripeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidation>();

        // One long-lived client: connections are recycled by the primary handler, not by the factory's rotation.
        services.AddHttpClient(HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<StripeOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(() => new RateLimitedIsRetryable());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new StripeClient(new StripeClientOptions
            {
                ApiKey = options.SecretKey,
                ApiBase = string.IsNullOrEmpty(options.ApiBase) ? null : options.ApiBase.TrimEnd('/'),
                HttpClient = new SystemNetHttpClient(http, options.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
            });
        });
        services.AddSingleton<StripeCustomers>();
        services.AddSingleton<StripeGateway>();
        services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<StripeGateway>());
        services.AddSingleton<IPaymentMethodRules>(sp => sp.GetRequiredService<StripeGateway>());
        return services;
    }
}
