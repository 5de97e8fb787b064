using Microsoft.Extensions.Options;

namespace Hustle.Web.Payments.Stripe;

/// <summary>The <c>Hustle:Payments:Stripe</c> section, read when <c>Hustle:Payments:Provider</c> is <c>stripe</c>.</summary>
public sealed class StripeOptions
{
    public const string Section = "Hustle:Payments:Stripe";

    /// <summary>The secret API key (<c>sk_test_…</c>, <c>sk_live_…</c> or a restricted <c>rk_…</c>).</summary>
    public string? SecretKey { get; set; }

    /// <summary>The signing secret of the webhook endpoint (<c>whsec_…</c>; <c>stripe listen</c> prints one).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The publishable key the browser's Payment Element uses (<c>pk_…</c>); served by <c>/api/config</c>.</summary>
    public string? PublishableKey { get; set; }

    /// <summary>Where Stripe's API is; only tests and local fakes change it.</summary>
    public string? ApiBase { get; set; }

    /// <summary>How often Stripe.net repeats a request that got no answer, a 409, a 5xx or a 429, always with the same idempotency key.</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    /// <summary>How long one request to Stripe may take before it counts as a network failure (and is retried).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Stripe chosen without its keys is a start-up failure that names the missing setting, not a 500 at the first payment.</summary>
public sealed class StripeOptionsValidation : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var problems = new List<string>();
        Require(problems, nameof(StripeOptions.SecretKey), options.SecretKey, "sk_", "rk_");
        Require(problems, nameof(StripeOptions.WebhookSecret), options.WebhookSecret, "whsec_");
        Require(problems, nameof(StripeOptions.PublishableKey), options.PublishableKey, "pk_");
        if (options.ApiBase is { Length: > 0 } apiBase && !Uri.TryCreate(apiBase, UriKind.Absolute, out _))
        {
            problems.Add($"{StripeOptions.Section}:ApiBase is not an absolute URL.");
        }

        if (options.MaxNetworkRetries is < 0 or > 10)
        {
            problems.Add($"{StripeOptions.Section}:MaxNetworkRetries must be between 0 and 10.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Require(List<string> problems, string key, string? value, params string[] prefixes)
    {
        var setting = $"{StripeOptions.Section}:{key}";
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"Hustle:Payments:Provider is 'stripe' but {setting} is missing: set it (user-secrets, or the environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}).");
        }
        else if (!prefixes.Any(p => value.StartsWith(p, StringComparison.Ordinal)))
        {
            problems.Add($"{setting} does not look like a Stripe key: it should start with {string.Join(" or ", prefixes)}.");
        }
    }
}
