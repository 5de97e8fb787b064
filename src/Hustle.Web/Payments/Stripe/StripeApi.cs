using Hustle.Web.Accounts;
using Hustle.Web.Infrastructure;
using Hustle.Web.Setup;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Stripe;

namespace Hustle.Web.Payments.Stripe;

public sealed record SetupIntentResponse(string ClientSecret);

/// <summary>Stripe's endpoints, mapped only when Stripe is the configured provider.</summary>
public static class StripeApi
{
    public static IEndpointRouteBuilder MapStripe(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<StripeGateway>() is null)
        {
            return app;
        }

        var stripe = app.MapGroup("/api/payments/stripe").WithTags("Payments");
        // Stripe's events are larger than anything the JSON API takes: this endpoint alone has a larger cap, enforced before the signature is checked.
        stripe.MapPost("/webhook", StripeWebhook.Handle).AllowAnonymous().DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(app.ServiceProvider.GetRequiredService<IOptions<BodyLimitOptions>>().Value.StripeWebhookBytes))
            .WithName("stripeWebhook").WithSummary("Receive Stripe's signed events").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        stripe.MapPost("/setup-intent", CreateSetupIntent).RequireAuthorization()
            .WithName("createSetupIntent").WithSummary("Start saving a card with Stripe").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>
    /// The start of saving a card: a SetupIntent for off-session use on the user's Stripe customer. The browser confirms
    /// it with Stripe's Payment Element and then saves the resulting <c>pm_…</c> with <c>PUT /api/me/payment-method</c>.
    /// </summary>
    public static async Task<SetupIntentResponse> CreateSetupIntent(CurrentUser me, UserManager<User> users, StripeCustomers customers, StripeClient stripe, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(me.Id) ?? throw ApiProblem.NotFound("user");
        try
        {
            var customer = await customers.EnsureAsync(me.Id, user.Email, ct);
            var intent = await stripe.V1.SetupIntents.CreateAsync(
                new SetupIntentCreateOptions
                {
                    Customer = customer,
                    Usage = "off_session",
                    AllowedPaymentMethodTypes = ["card"],
                    Metadata = new Dictionary<string, string> { ["hustle_user_id"] = me.Id },
                },
                null,
                ct);
            return new SetupIntentResponse(intent.ClientSecret);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            throw ApiProblem.PaymentUnavailable();
        }
    }
}
