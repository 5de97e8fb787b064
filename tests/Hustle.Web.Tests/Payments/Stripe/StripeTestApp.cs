using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hustle.Web.Payments.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Hustle.Web.Tests.Payments.Stripe;

/// <summary>Hustle with <c>Hustle:Payments:Provider=stripe</c>, its Stripe.net client pointed at a <see cref="FakeStripe"/>.</summary>
public sealed class StripeTestApp : TestApp
{
    public const string WebhookSecret = "whsec_test_hustle";
    public const string PublishableKey = "pk_test_hustle";

    public StripeTestApp(FakeStripe stripe)
    {
        Stripe = stripe;
        stripe.Clock = Clock;
    }

    public FakeStripe Stripe { get; }

    /// <summary>The network between Hustle and the fake, which can lose answers.</summary>
    public LosingNetwork Network { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Hustle:Payments:Provider"] = "stripe",
        ["Hustle:Payments:Stripe:SecretKey"] = "sk_test_hustle",
        ["Hustle:Payments:Stripe:WebhookSecret"] = WebhookSecret,
        ["Hustle:Payments:Stripe:PublishableKey"] = PublishableKey,
        ["Hustle:Payments:Stripe:ApiBase"] = Stripe.Url,
        // One retry keeps Stripe.net's own backoff (0.5-1 s) short in the tests that exhaust it.
        ["Hustle:Payments:Stripe:MaxNetworkRetries"] = "1",
    };

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddHttpClient(StripeSetup.HttpClientName).AddHttpMessageHandler(() => Network);

    /// <summary>Posts a webhook delivery signed as Stripe signs it: HMAC-SHA256 of <c>{t}.{body}</c>, header <c>t=…,v1=…</c>.</summary>
    public Task<HttpResponseMessage> DeliverAsync(string body, string secret = WebhookSecret, DateTimeOffset? signedAt = null)
    {
        var t = (signedAt ?? Clock.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", $"t={t},v1={signature}");
        return CreateClient().SendAsync(request);
    }
}

/// <summary>One fake Stripe and one Hustle on it, shared by the tests of a class (they run one after another).</summary>
public sealed class StripeFixture : IDisposable
{
    public StripeFixture()
    {
        Stripe = new FakeStripe();
        App = new StripeTestApp(Stripe);
    }

    public FakeStripe Stripe { get; }

    public StripeTestApp App { get; }

    public void Dispose()
    {
        App.Dispose();
        Stripe.Dispose();
    }
}
