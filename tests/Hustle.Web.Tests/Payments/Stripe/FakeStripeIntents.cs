using System.Globalization;
using System.Text.Json.Nodes;

namespace Hustle.Web.Tests.Payments.Stripe;

/// <summary>What the fake does with each kind of request: Stripe's rules for PaymentIntents, refunds and setup intents.</summary>
public sealed partial class FakeStripe
{
    private (int, string) CreateIntent(Dictionary<string, string> form)
    {
        var paymentMethod = form["payment_method"];
        if (paymentMethod == "pm_card_chargeDeclined")
        {
            return (402, Error("card_error", "card_declined", "Your card was declined.", declineCode: "generic_decline"));
        }

        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        var amount = long.Parse(form["amount"], CultureInfo.InvariantCulture);
        var id = NewId("pi");
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_capturable"] = amount,
            ["amount_received"] = 0L,
            ["capture_method"] = form.GetValueOrDefault("capture_method", "automatic"),
            ["currency"] = form["currency"],
            ["customer"] = form.GetValueOrDefault("customer"),
            ["created"] = now,
            ["payment_method"] = paymentMethod,
            ["status"] = form.GetValueOrDefault("confirm") == "true" ? "requires_capture" : "requires_confirmation",
            ["cancellation_reason"] = null,
            ["metadata"] = new JsonObject(form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)).Select(f => KeyValuePair.Create(f.Key[9..^1], (JsonNode?)f.Value))),
            ["latest_charge"] = new JsonObject
            {
                ["id"] = NewId("ch"),
                ["object"] = "charge",
                ["amount"] = amount,
                ["amount_captured"] = 0L,
                ["amount_refunded"] = 0L,
                ["payment_intent"] = id,
                ["payment_method_details"] = new JsonObject
                {
                    ["type"] = "card",
                    ["card"] = new JsonObject
                    {
                        ["capture_before"] = now + (long)TimeSpan.FromDays(7).TotalSeconds,
                        ["incremental_authorization"] = new JsonObject
                        {
                            ["status"] = paymentMethod != "pm_card_noIncremental" && form.GetValueOrDefault("payment_method_options[card][request_incremental_authorization]") == "if_available" ? "available" : "unavailable",
                        },
                    },
                },
            },
        };
        _intents[id] = intent;
        return (200, Render(intent, form.ContainsValue("latest_charge")));
    }

    private static (int, string) Increment(JsonObject intent, Dictionary<string, string> form)
    {
        var amount = long.Parse(form["amount"], CultureInfo.InvariantCulture);
        if (Str(intent, "status") != "requires_capture" || intent["latest_charge"]!["payment_method_details"]!["card"]!["incremental_authorization"]!["status"]!.GetValue<string>() != "available")
        {
            return (400, Error("invalid_request_error", "payment_intent_unexpected_state", "This PaymentIntent cannot be incremented."));
        }

        if (amount < intent["amount"]!.GetValue<long>())
        {
            return (400, Error("invalid_request_error", "parameter_invalid_integer", "The amount must be greater than the current amount."));
        }

        intent["amount"] = amount;
        intent["amount_capturable"] = amount;
        intent["latest_charge"]!["amount"] = amount;
        return (200, Render(intent, expandCharge: false));
    }

    private static (int, string) Capture(JsonObject intent, Dictionary<string, string> form)
    {
        var amount = form.TryGetValue("amount_to_capture", out var a) ? long.Parse(a, CultureInfo.InvariantCulture) : intent["amount"]!.GetValue<long>();
        if (Str(intent, "status") != "requires_capture")
        {
            return (400, Error("invalid_request_error", "payment_intent_unexpected_state", $"This PaymentIntent could not be captured because it has a status of {Str(intent, "status")}."));
        }

        if (amount > intent["amount_capturable"]!.GetValue<long>())
        {
            return (400, Error("invalid_request_error", "amount_too_large", "The amount to capture is larger than the amount capturable."));
        }

        if (Str(intent, "payment_method") == "pm_card_captureFails")
        {
            return (402, Error("card_error", "card_declined", "Your card was declined.", declineCode: "generic_decline"));
        }

        intent["status"] = "succeeded";
        intent["amount_received"] = amount;
        intent["amount_capturable"] = 0L;
        intent["latest_charge"]!["amount_captured"] = amount;
        return (200, Render(intent, expandCharge: false));
    }

    private static (int, string) Cancel(JsonObject intent, Dictionary<string, string> form)
    {
        if (Str(intent, "status") is not ("requires_capture" or "requires_payment_method" or "requires_confirmation"))
        {
            return (400, Error("invalid_request_error", "payment_intent_unexpected_state", $"You cannot cancel this PaymentIntent because it has a status of {Str(intent, "status")}."));
        }

        intent["status"] = "canceled";
        intent["amount_capturable"] = 0L;
        intent["cancellation_reason"] = form.GetValueOrDefault("cancellation_reason");
        return (200, Render(intent, expandCharge: false));
    }

    private (int, string) Refund(JsonObject intent, Dictionary<string, string> form)
    {
        var charge = intent["latest_charge"]!;
        var left = intent["amount_received"]!.GetValue<long>() - charge["amount_refunded"]!.GetValue<long>();
        var amount = form.TryGetValue("amount", out var a) ? long.Parse(a, CultureInfo.InvariantCulture) : left;
        if (Str(intent, "status") != "succeeded" || amount > left || amount < 1)
        {
            return (400, Error("invalid_request_error", "charge_already_refunded", "Nothing (or less) is left to refund."));
        }

        charge["amount_refunded"] = charge["amount_refunded"]!.GetValue<long>() + amount;
        return (200, Serialize(new JsonObject
        {
            ["id"] = NewId("re"),
            ["object"] = "refund",
            ["amount"] = amount,
            ["currency"] = intent["currency"]!.GetValue<string>(),
            ["payment_intent"] = intent["id"]!.GetValue<string>(),
            ["charge"] = charge["id"]!.GetValue<string>(),
            ["status"] = "succeeded",
        }));
    }

    private (int, string) SetupIntent(Dictionary<string, string> form)
    {
        var id = NewId("seti");
        return (200, Serialize(new JsonObject
        {
            ["id"] = id,
            ["object"] = "setup_intent",
            ["client_secret"] = $"{id}_secret_fake",
            ["customer"] = form.GetValueOrDefault("customer"),
            ["usage"] = form.GetValueOrDefault("usage"),
            ["status"] = "requires_payment_method",
        }));
    }
}
