namespace Hustle.Web.Tests.Infrastructure;

/// <summary>
/// A field given twice, or money (whole minor units) given with a fraction, is a 400 <c>validation_failed</c> naming
/// the field, and changes nothing.
/// </summary>
public class JsonRulesTests(BadInputApp app) : IClassFixture<BadInputApp>
{
    private const string Job = """ "area": "Mission", "location": "1 Valencia St", "currency": "USD" """;

    public static TheoryData<string, string, string, string> BadFields => new()
    {
        { "a title given twice", "/api/jobs", """{"title": "Fix the sink", "title": "Something else", "pricingType": "FLAT", "amount": 5000, """ + Job + "}", "title" },
        { "an amount given twice", "/api/jobs", """{"title": "Fix", "pricingType": "FLAT", "amount": 5000, "amount": 1, """ + Job + "}", "amount" },
        { "an edited amount given twice", "PATCH /api/jobs/{flat}", """{"amount": 6000, "amount": 7000}""", "amount" },
        { "an amount with three decimals", "/api/jobs", """{"title": "Fix", "pricingType": "FLAT", "amount": 50.123, """ + Job + "}", "amount" },
        { "an amount with two decimals", "/api/jobs", """{"title": "Fix", "pricingType": "FLAT", "amount": 5000.25, """ + Job + "}", "amount" },
        { "an amount as a float with a zero fraction", "/api/jobs", """{"title": "Fix", "pricingType": "FLAT", "amount": 5000.0, """ + Job + "}", "amount" },
        { "an hourly rate with a fraction", "/api/jobs", """{"title": "Fix", "pricingType": "HOURLY", "hourlyRate": 4000.5, "estimatedHours": 2, """ + Job + "}", "hourlyRate" },
        { "an edited amount with a fraction", "PATCH /api/jobs/{flat}", """{"amount": 60.75}""", "amount" },
        { "a proposed amount with a fraction", "/api/jobs/{hourly}/offers", """{"proposedAmount": 4500.5}""", "proposedAmount" },
        { "a price proposal with a fraction", "/api/jobs/{flat}/price-proposals", """{"amount": 55.123}""", "amount" },
        { "estimatedHours with three decimals", "/api/jobs", """{"title": "Fix", "pricingType": "HOURLY", "hourlyRate": 4000, "estimatedHours": 1.125, """ + Job + "}", "estimatedHours" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task A_duplicate_key_or_fractional_money_gets_400_naming_the_field(string what, string request, string body, string field)
    {
        var counts = await app.RowCountsAsync();
        var flat = await app.SnapshotAsync(app.FlatJob);
        var hourly = await app.SnapshotAsync(app.HourlyJob);
        var (method, path) = request.StartsWith("PATCH ", StringComparison.Ordinal) ? (HttpMethod.Patch, request[6..]) : (HttpMethod.Post, request);
        var sender = path.EndsWith("/offers", StringComparison.Ordinal) ? app.Hustler : app.Customer;
        path = path.Replace("{flat}", app.FlatJob, StringComparison.Ordinal).Replace("{hourly}", app.HourlyJob, StringComparison.Ordinal);

        var problem = await (await sender.SendRawAsync(method, path, body)).Problem(400, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{what}: {problem}");
        Assert.Equal(counts, await app.RowCountsAsync());
        Assert.Equal(flat, await app.SnapshotAsync(app.FlatJob));
        Assert.Equal(hourly, await app.SnapshotAsync(app.HourlyJob));
    }
}
