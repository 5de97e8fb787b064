using Hustle.Web.Payments;
using Hustle.Web.Payments.Simulated;
using Hustle.Web.Payments.Stripe;

namespace Hustle.Web.Setup;

/// <summary>The payment provider of <see cref="PaymentOptions"/> and what moves money through it.</summary>
public static class PaymentSetup
{
    public static IServiceCollection AddHustlePayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<PaymentOptions>(configuration, PaymentOptions.Section);
        if (configuration.ReadSettings<PaymentOptions>(PaymentOptions.Section).IsStripe)
        {
            services.AddStripeGateway(configuration);
        }
        else
        {
            services.AddSettings<SimulatedPaymentOptions>(configuration, SimulatedPaymentOptions.Section);
            services.AddSingleton<SimulatedGateway>();
            services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<SimulatedGateway>());
            services.AddSingleton<IPaymentMethodRules>(sp => sp.GetRequiredService<SimulatedGateway>());
        }

        services.AddScoped<JobPayments>();
        services.AddScoped<PaymentStore>();
        services.AddScoped<Capture>();
        services.AddScoped<PaymentReconciler>();
        services.AddHostedService<PaymentRecovery>();
        return services;
    }
}
