namespace Hustle.Web.Tests.Infrastructure;

/// <summary>A customer with an open flat job (with a pending offer) and an open hourly job, to aim bad requests at.</summary>
public sealed class BadInputApp : TestApp, IAsyncLifetime
{
    public TestUser Customer { get; private set; } = null!;

    public TestUser Hustler { get; private set; } = null!;

    public string FlatJob { get; private set; } = "";

    public string HourlyJob { get; private set; } = "";

    public string Offer { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Customer = await CreateUserAsync("customer");
        Hustler = await CreateUserAsync("hustler");
        FlatJob = (await Customer.PostFlatJobAsync()).Str("id");
        HourlyJob = (await Customer.PostHourlyJobAsync()).Str("id");
        Offer = (await Hustler.OfferAsync(FlatJob)).Str("id");
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

/// <summary>Bad input gets 400 <c>validation_failed</c> problem details, never a 500, and changes nothing.</summary>
public class RequestValidationTests(BadInputApp app) : IClassFixture<BadInputApp>
{
    private const string Job = """ "title": "Fix the sink", "area": "Mission", "location": "1 Valencia St", "currency": "USD" """;
    private const string Flat = Job + """, "pricingType": "FLAT", "amount": 5000""";
    private const string Hourly = Job + """, "pricingType": "HOURLY", "hourlyRate": 4000""";

    public static TheoryData<string, string, string, string?> BadRequests => new()
    {
        { "malformed JSON", "POST", "/api/jobs", """{"title": "Fix the sink", """ },
        { "not JSON at all", "POST", "/api/jobs", "fix my sink please" },
        { "an array instead of an object", "POST", "/api/jobs", "[]" },
        { "a JSON null body", "POST", "/api/jobs", "null" },
        { "an empty body", "POST", "/api/jobs", "" },
        { "amount as a string", "POST", "/api/jobs", "{" + Job + """, "pricingType": "FLAT", "amount": "5000"}""" },
        { "amount with a fraction", "POST", "/api/jobs", "{" + Job + """, "pricingType": "FLAT", "amount": 50.5}""" },
        { "title as a number", "POST", "/api/jobs", """{"title": 42, "area": "Mission", "location": "x", "currency": "USD", "pricingType": "FLAT", "amount": 5000}""" },
        { "unknown pricingType", "POST", "/api/jobs", "{" + Job + """, "pricingType": "WEEKLY", "amount": 5000}""" },
        { "pricingType as a number", "POST", "/api/jobs", "{" + Job + """, "pricingType": 0, "amount": 5000}""" },
        { "negative amount", "POST", "/api/jobs", "{" + Job + """, "pricingType": "FLAT", "amount": -1}""" },
        { "zero amount", "POST", "/api/jobs", "{" + Job + """, "pricingType": "FLAT", "amount": 0}""" },
        { "huge amount", "POST", "/api/jobs", "{" + Job + """, "pricingType": "FLAT", "amount": 100000001}""" },
        { "amount beyond a 64-bit integer", "POST", "/api/jobs", "{" + Job + """, "pricingType": "FLAT", "amount": 9223372036854775808}""" },
        { "amount as a boolean", "POST", "/api/jobs", "{" + Job + """, "pricingType": "FLAT", "amount": true}""" },
        { "estimatedHours beyond a decimal", "POST", "/api/jobs", "{" + Hourly + """, "estimatedHours": 1e400}""" },
        { "JSON nested deeper than allowed", "POST", "/api/jobs", new string('[', 200) + new string(']', 200) },
        { "negative hourly rate", "POST", "/api/jobs", "{" + Job + """, "pricingType": "HOURLY", "hourlyRate": -4000, "estimatedHours": 2}""" },
        { "a 10 kB title", "POST", "/api/jobs", $$"""{"title": "{{new string('x', 10_240)}}", "area": "Mission", "location": "x", "currency": "USD", "pricingType": "FLAT", "amount": 5000}""" },
        { "a blank title", "POST", "/api/jobs", """{"title": "   ", "area": "Mission", "location": "x", "currency": "USD", "pricingType": "FLAT", "amount": 5000}""" },
        { "no title", "POST", "/api/jobs", """{"area": "Mission", "location": "x", "currency": "USD", "pricingType": "FLAT", "amount": 5000}""" },
        { "an unknown field", "POST", "/api/jobs", "{" + Flat + """, "color": "red"}""" },
        { "an unknown currency", "POST", "/api/jobs", """{"title": "t", "area": "a", "location": "l", "currency": "XYZ", "pricingType": "FLAT", "amount": 5000}""" },
        { "a lower-case currency", "POST", "/api/jobs", """{"title": "t", "area": "a", "location": "l", "currency": "usd", "pricingType": "FLAT", "amount": 5000}""" },
        { "no currency", "POST", "/api/jobs", """{"title": "t", "area": "a", "location": "l", "pricingType": "FLAT", "amount": 5000}""" },
        { "estimatedHours of zero", "POST", "/api/jobs", "{" + Hourly + """, "estimatedHours": 0}""" },
        { "estimatedHours above 100", "POST", "/api/jobs", "{" + Hourly + """, "estimatedHours": 100.25}""" },
        { "estimatedHours not in quarter hours", "POST", "/api/jobs", "{" + Hourly + """, "estimatedHours": 1.1}""" },
        { "negative estimatedHours", "POST", "/api/jobs", "{" + Hourly + """, "estimatedHours": -2}""" },
        { "an hourly job without estimatedHours", "POST", "/api/jobs", "{" + Hourly + "}" },
        { "an hourly job with an amount", "POST", "/api/jobs", "{" + Hourly + """, "estimatedHours": 2, "amount": 5000}""" },
        { "a flat job without an amount", "POST", "/api/jobs", "{" + Job + """, "pricingType": "FLAT"}""" },
        { "an expiry in the past", "POST", "/api/jobs", "{" + Flat + """, "expiresAt": "2020-01-01T00:00:00Z"}""" },
        { "an expiry that is not a date", "POST", "/api/jobs", "{" + Flat + """, "expiresAt": "tomorrow"}""" },
        { "a schedule two years out", "POST", "/api/jobs", "{" + Flat + """, "scheduledFor": "2028-12-01T00:00:00Z"}""" },
        { "an unknown status to browse", "GET", "/api/jobs?status=BOGUS", null },
        { "a lower-case status to browse", "GET", "/api/jobs?status=open", null },
        { "a status that is not browsable", "GET", "/api/jobs?status=SCHEDULED", null },
        { "a browse limit of zero", "GET", "/api/jobs?limit=0", null },
        { "a feed cursor of -1", "GET", "/api/feed?after=-1", null },
        { "a feed cursor that is not a number", "GET", "/api/feed?after=abc", null },
        { "a feed cursor beyond a 64-bit integer", "GET", "/api/feed?after=99999999999999999999", null },
        { "a feed limit above the maximum", "GET", "/api/feed?limit=100000", null },
        { "PATCH with status", "PATCH", "/api/jobs/{flat}", """{"status": "CANCELLED"}""" },
        { "PATCH with status beside a real change", "PATCH", "/api/jobs/{flat}", """{"title": "New", "status": "PAID"}""" },
        { "PATCH with nothing to change", "PATCH", "/api/jobs/{flat}", "{}" },
        { "PATCH with a negative amount", "PATCH", "/api/jobs/{flat}", """{"amount": -5}""" },
        { "PATCH with an empty title", "PATCH", "/api/jobs/{flat}", """{"title": ""}""" },
        { "PATCH with a 10 kB title", "PATCH", "/api/jobs/{flat}", $$"""{"title": "{{new string('x', 10_240)}}"}""" },
        { "PATCH of a flat job's hourly rate", "PATCH", "/api/jobs/{flat}", """{"hourlyRate": 100}""" },
        { "PATCH of an hourly job's estimate out of range", "PATCH", "/api/jobs/{hourly}", """{"estimatedHours": 500}""" },
        { "PATCH with malformed JSON", "PATCH", "/api/jobs/{flat}", """{"title": """ },
        { "an offer with a negative amount", "POST", "/api/jobs/{hourly}/offers", """{"proposedAmount": -1}""" },
        { "an offer with an amount as text", "POST", "/api/jobs/{hourly}/offers", """{"proposedAmount": "lots"}""" },
        { "an offer with a 2000-character message", "POST", "/api/jobs/{hourly}/offers", $$"""{"message": "{{new string('m', 2000)}}"}""" },
        { "an offer at another price on an hourly job", "POST", "/api/jobs/{hourly}/offers", """{"proposedAmount": 3000}""" },
        { "an offer with an unknown field", "POST", "/api/jobs/{hourly}/offers", """{"price": 3000}""" },
        { "an unknown payment method", "PUT", "/api/me/payment-method", """{"paymentMethod": "pm_card_stolen"}""" },
        { "a 61-character display name", "PUT", "/api/me", $$"""{"displayName": "{{new string('d', 61)}}"}""" },
        { "a decline with a 2000-character reason", "POST", "/api/offers/{offer}/decline", $$"""{"reason": "{{new string('r', 2000)}}"}""" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_400_validation_failed_and_changes_nothing(string what, string method, string path, string? body)
    {
        var counts = await app.RowCountsAsync();
        var flat = await app.SnapshotAsync(app.FlatJob);
        var hourly = await app.SnapshotAsync(app.HourlyJob);
        var sender = path.Contains("{hourly}/offers", StringComparison.Ordinal) ? app.Hustler : app.Customer;
        var target = path.Replace("{flat}", app.FlatJob, StringComparison.Ordinal).Replace("{hourly}", app.HourlyJob, StringComparison.Ordinal).Replace("{offer}", app.Offer, StringComparison.Ordinal);

        var response = await sender.SendRawAsync(new HttpMethod(method), target, body);

        var problem = await response.Problem(400, "validation_failed");
        Assert.False(string.IsNullOrWhiteSpace(problem.Str("detail")), what);
        Assert.Equal(counts, await app.RowCountsAsync());
        Assert.Equal(flat, await app.SnapshotAsync(app.FlatJob));
        Assert.Equal(hourly, await app.SnapshotAsync(app.HourlyJob));
    }
}
