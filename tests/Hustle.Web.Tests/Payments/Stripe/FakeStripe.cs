using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Hustle.Web.Tests.Payments.Stripe;

/// <summary>A request Stripe.net sent to the fake: its form decoded to <c>key=value</c> lines, sorted, and its idempotency key.</summary>
public sealed record SeenRequest(string Method, string Path, IReadOnlyList<string> Form, string? IdempotencyKey)
{
    public override string ToString() => $"{Method} {Path} [{string.Join(", ", Form)}] key={IdempotencyKey}";
}

/// <summary>
/// Just enough of Stripe's HTTP API, served by WireMock on a local port, to run Hustle against: manual-capture
/// PaymentIntents that remember their state (create and confirm, retrieve, increment, capture, cancel), refunds,
/// customers and setup intents, with Stripe's idempotency rules (a key replays its first answer; the same key with other
/// parameters is a 400 <c>idempotency_error</c>). Test cards as in the simulated gateway: <c>pm_card_chargeDeclined</c> is
/// declined, <c>pm_card_noIncremental</c> authorizes without incremental authorization, <c>pm_card_captureFails</c> fails
/// at capture. <see cref="RateLimitNext"/> and <see cref="FaultNext"/> put 429s or broken answers before the
/// next real ones.
/// </summary>
public sealed partial class FakeStripe : IDisposable
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private readonly WireMockServer _server;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _intents = [];
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body)> _keys = [];
    private readonly Queue<Func<ResponseMessage>> _interruptions = new();
    private int _ids;

    public FakeStripe()
    {
        _server = WireMockServer.Start();
        _server.Given(Request.Create().WithPath(new WildcardMatcher("/v1/*"))).AtPriority(100).RespondWith(Response.Create().WithCallback(Answer));
    }

    public string Url => _server.Url!;

    /// <summary>The clock the fake stamps objects with (<c>created</c>, <c>capture_before</c>).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Every request received so far, oldest first, including those answered with an interruption.</summary>
    public IReadOnlyList<SeenRequest> Requests => [.. _server.LogEntries
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => new SeenRequest(
            e.RequestMessage.Method,
            e.RequestMessage.Path + (string.IsNullOrEmpty(e.RequestMessage.RawQuery) ? "" : "?" + Uri.UnescapeDataString(e.RequestMessage.RawQuery.TrimStart('?'))),
            Decode(e.RequestMessage.Body),
            e.RequestMessage.Headers?.TryGetValue("Idempotency-Key", out var key) == true ? key.ToString() : null))];

    public void ClearRequests() => _server.ResetLogEntries();

    /// <summary>The intent as the fake holds it now.</summary>
    public JsonObject Intent(string id)
    {
        lock (_gate)
        {
            return (JsonObject)_intents[id].DeepClone();
        }
    }

    public int IntentCount
    {
        get
        {
            lock (_gate)
            {
                return _intents.Count;
            }
        }
    }

    /// <summary>The next request is refused with 429 <c>rate_limit</c>, as Stripe does when a key sends too fast.</summary>
    public void RateLimitNext(int times = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _interruptions.Enqueue(() => Json(429, Error("invalid_request_error", "rate_limit", "Too many requests hit the API too quickly.")));
            }
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> requests get a WireMock fault instead of an answer: with a status (a proxy's
    /// 502) and garbage after it, or, with <paramref name="status"/> null, an empty 200. Chained by a scenario.
    /// WireMock.Net's faults do not break the connection itself; <see cref="LosingNetwork"/> does that.
    /// </summary>
    public void FaultNext(int times = 1, int? status = 502)
    {
        var scenario = $"fault-{Guid.NewGuid():N}";
        for (var i = 0; i < times; i++)
        {
            var mapping = _server.Given(Request.Create().WithPath(new WildcardMatcher("/v1/*"))).AtPriority(1).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"faulted-{i}");
            }

            var response = status is { } code
                ? Response.Create().WithStatusCode(code).WithFault(FaultType.MALFORMED_RESPONSE_CHUNK)
                : Response.Create().WithFault(FaultType.EMPTY_RESPONSE);
            mapping.WillSetStateTo($"faulted-{i + 1}").RespondWith(response);
        }
    }

    public void Dispose() => _server.Dispose();

    private static List<string> Decode(string? form) =>
        string.IsNullOrEmpty(form)
            ? []
            : [.. form.Split('&').Select(pair => Uri.UnescapeDataString(pair.Replace('+', ' '))).Order(StringComparer.Ordinal)];

    private static Dictionary<string, string> Fields(string? form) =>
        string.IsNullOrEmpty(form)
            ? []
            : form.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");

    private ResponseMessage Answer(IRequestMessage request)
    {
        lock (_gate)
        {
            if (_interruptions.TryDequeue(out var interruption))
            {
                return interruption();
            }

            var key = request.Headers?.TryGetValue("Idempotency-Key", out var k) == true ? k.ToString() : null;
            var fingerprint = $"{request.Method} {request.Path}\n{string.Join("&", Decode(request.Body))}";
            if (request.Method == "POST" && key is not null && _keys.TryGetValue(key, out var first))
            {
                return first.Fingerprint == fingerprint
                    ? Json(first.Status, first.Body, replayed: true)
                    : Json(400, Error("idempotency_error", null, "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '" + key + "' if you meant to execute a different request."));
            }

            var (status, body) = Route(request.Method, request.Path, Fields(request.Body), request.RawQuery ?? "");
            if (request.Method == "POST" && key is not null)
            {
                _keys[key] = (fingerprint, status, body);
            }

            return Json(status, body);
        }
    }

    private (int, string) Route(string method, string path, Dictionary<string, string> form, string query)
    {
        var parts = path.Trim('/').Split('/');
        return (method, parts) switch
        {
            ("POST", ["v1", "payment_intents"]) => CreateIntent(form),
            ("GET", ["v1", "payment_intents", var id]) => Existing(id, intent => (200, Render(intent, query.Contains("latest_charge", StringComparison.Ordinal)))),
            ("POST", ["v1", "payment_intents", var id, "increment_authorization"]) => Existing(id, intent => Increment(intent, form)),
            ("POST", ["v1", "payment_intents", var id, "capture"]) => Existing(id, intent => Capture(intent, form)),
            ("POST", ["v1", "payment_intents", var id, "cancel"]) => Existing(id, intent => Cancel(intent, form)),
            ("POST", ["v1", "refunds"]) => Existing(form.GetValueOrDefault("payment_intent", ""), intent => Refund(intent, form)),
            ("POST", ["v1", "customers"]) => (200, Serialize(new JsonObject { ["id"] = NewId("cus"), ["object"] = "customer", ["email"] = form.GetValueOrDefault("email") })),
            ("POST", ["v1", "setup_intents"]) => SetupIntent(form),
            _ => (404, Error("invalid_request_error", "resource_missing", $"Unrecognized request URL ({method}: {path}).")),
        };
    }

    private (int, string) Existing(string id, Func<JsonObject, (int, string)> then) =>
        _intents.TryGetValue(id, out var intent)
            ? then(intent)
            : (404, Error("invalid_request_error", "resource_missing", $"No such payment_intent: '{id}'"));

    private static string Render(JsonObject intent, bool expandCharge)
    {
        var copy = (JsonObject)intent.DeepClone();
        if (!expandCharge)
        {
            copy["latest_charge"] = intent["latest_charge"]!["id"]!.GetValue<string>();
        }

        return Serialize(copy);
    }

    private static string Str(JsonObject o, string name) => o[name]?.GetValue<string>() ?? "";

    private string NewId(string prefix) => $"{prefix}_fake{Interlocked.Increment(ref _ids):D4}";

    private static string Serialize(JsonNode node) => node.ToJsonString(Compact);

    private static string Error(string type, string? code, string message, string? declineCode = null) =>
        Serialize(new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["decline_code"] = declineCode, ["message"] = message } });

    private static ResponseMessage Json(int status, string body, bool replayed = false)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
        response.AddHeader("Content-Type", "application/json");
        response.AddHeader("Request-Id", $"req_fake_{Guid.NewGuid():N}");
        if (replayed)
        {
            response.AddHeader("Idempotent-Replayed", "true");
        }

        return response;
    }
}
