using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hustle.Web.Payments.Stripe;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Payments.Stripe;

/// <summary>Choosing Stripe by configuration, what the browser gets to save a card, and the start-up checks.</summary>
public sealed class StripeConfigurationTests(StripeFixture fixture) : IClassFixture<StripeFixture>
{
    [Fact]
    public async Task Config_tells_the_client_the_provider_and_the_publishable_key()
    {
        var config = await fixture.App.CreateClient().GetFromJsonAsync<JsonElement>("/api/config");
        using var simulatedApp = new TestApp();
        var simulated = await simulatedApp.CreateClient().GetFromJsonAsync<JsonElement>("/api/config");

        Assert.Equal(("stripe", StripeTestApp.PublishableKey), (config.Str("paymentProvider"), config.Str("stripePublishableKey")));
        Assert.Equal("simulated", simulated.Str("paymentProvider"));
        Assert.True(!simulated.TryGetProperty("stripePublishableKey", out var key) || key.ValueKind == JsonValueKind.Null);
        Assert.Equal(HttpStatusCode.NotFound, (await simulatedApp.CreateClient().PostAsync("/api/payments/stripe/webhook", new StringContent("{}"))).StatusCode);
    }

    [Fact]
    public async Task A_setup_intent_saves_cards_on_one_Stripe_customer_whose_holds_then_use_it()
    {
        var customer = await fixture.App.CreateUserAsync("customer", paymentMethod: null);
        var hustler = await fixture.App.CreateUserAsync("hustler");
        fixture.Stripe.ClearRequests();

        var first = await (await customer.PostAsync("/api/payments/stripe/setup-intent")).Json();
        var second = await (await customer.PostAsync("/api/payments/stripe/setup-intent")).Json();
        await (await customer.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethod = "pm_1QcardFromElement" })).Json(HttpStatusCode.NoContent);
        await Api.ScheduledFlatJobAsync(customer, hustler);

        Assert.StartsWith("seti_fake", first.Str("clientSecret"));
        Assert.NotEqual(first.Str("clientSecret"), second.Str("clientSecret"));
        await using var db = fixture.App.Db();
        var customerId = await db.Set<StripeCustomer>().Where(c => c.UserId == customer.Id).Select(c => c.CustomerId).SingleAsync();
        var requests = fixture.Stripe.Requests;
        var created = Assert.Single(requests, r => r.Path == "/v1/customers");
        Assert.Equal($"user/{customer.Id}/stripe-customer", created.IdempotencyKey);
        Assert.All(requests.Where(r => r.Path == "/v1/setup_intents"), r => Assert.Equal(["allowed_payment_method_types[0]=card", $"customer={customerId}", $"metadata[hustle_user_id]={customer.Id}", "usage=off_session"], r.Form));
        Assert.Contains($"customer={customerId}", Assert.Single(requests, r => r.Path == "/v1/payment_intents").Form);
    }

    [Fact]
    public async Task Only_Stripe_payment_method_ids_can_be_saved()
    {
        var user = await fixture.App.CreateUserAsync("customer", paymentMethod: null);

        var refused = await user.Client.PutAsJsonAsync("/api/me/payment-method", new { paymentMethod = "tok_visa" });

        await refused.Problem(400, "validation_failed");
    }

    [Theory]
    [InlineData(null, "sk_test_x", "Hustle:Payments:Stripe:WebhookSecret is missing")]
    [InlineData("whsec_x", null, "Hustle:Payments:Stripe:SecretKey is missing")]
    [InlineData("whsec_x", "pk_test_wrong_place", "Hustle:Payments:Stripe:SecretKey does not look like a Stripe key")]
    public void Choosing_Stripe_without_its_keys_fails_at_start_naming_the_setting(string? webhookSecret, string? secretKey, string expected)
    {
        using var app = new ConfiguredApp(new Dictionary<string, string?>
        {
            ["Hustle:Payments:Provider"] = "stripe",
            ["Hustle:Payments:Stripe:SecretKey"] = secretKey,
            ["Hustle:Payments:Stripe:WebhookSecret"] = webhookSecret,
            ["Hustle:Payments:Stripe:PublishableKey"] = "pk_test_x",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(expected, Messages(failure));
    }

    [Fact]
    public void An_unknown_provider_fails_at_start()
    {
        using var app = new ConfiguredApp(new Dictionary<string, string?> { ["Hustle:Payments:Provider"] = "paypal" });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Hustle:Payments:Provider is 'paypal'; it must be 'simulated' or 'stripe'", Messages(failure));
    }

    private static string Messages(Exception e) => e.InnerException is null ? e.Message : $"{e.Message} | {Messages(e.InnerException)}";

    private sealed class ConfiguredApp(IReadOnlyDictionary<string, string?> settings) : TestApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => settings;
    }
}
