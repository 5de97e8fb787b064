using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>A customer with an open flat job (with the hustler's offer), an open hourly job and a thread about it.</summary>
public sealed class TextInputApp : TestApp, IAsyncLifetime
{
    public TestUser Customer { get; private set; } = null!;

    public TestUser Hustler { get; private set; } = null!;

    public string FlatJob { get; private set; } = "";

    public string HourlyJob { get; private set; } = "";

    public string Offer { get; private set; } = "";

    public string Thread { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Customer = await CreateUserAsync("customer");
        Hustler = await CreateUserAsync("hustler");
        FlatJob = (await Customer.PostFlatJobAsync()).Str("id");
        HourlyJob = (await Customer.PostHourlyJobAsync()).Str("id");
        Offer = (await Hustler.OfferAsync(FlatJob)).Str("id");
        Thread = (await (await Hustler.PostAsync($"/api/jobs/{HourlyJob}/threads")).Json(HttpStatusCode.Created)).Str("id");
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Control characters (C0, DEL, C1) and unpaired surrogates are refused in every text field with a 400 naming the field;
/// tabs and line breaks only in long text. Text is stored in NFC.
/// </summary>
public class TextRulesTests(TextInputApp app) : IClassFixture<TextInputApp>
{
    private const string Job = """ "area": "Mission", "location": "1 Valencia St", "currency": "USD", "pricingType": "FLAT", "amount": 5000 """;

    public static TheoryData<string, string, string, string, string> ControlCharacters => new()
    {
        { "NUL in a title", "POST", "/api/jobs", """{"title": "Fix\u0000the sink", """ + Job + "}", "title" },
        { "a line break in a title", "POST", "/api/jobs", """{"title": "Fix\nthe sink", """ + Job + "}", "title" },
        { "a C1 control (CSI) in a title", "POST", "/api/jobs", """{"title": "Fix\u009B31m", """ + Job + "}", "title" },
        { "NUL in a description", "POST", "/api/jobs", """{"title": "Fix", "description": "Leaks\u0000", """ + Job + "}", "description" },
        { "a lone surrogate in a description", "POST", "/api/jobs", """{"title": "Fix", "description": "Leaks \ud800 a lot", """ + Job + "}", "description" },
        { "ESC in an area", "POST", "/api/jobs", """{"title": "Fix", "area": "Mission\u001b[2J", "location": "1 Valencia St", "currency": "USD", "pricingType": "FLAT", "amount": 5000}""", "area" },
        { "BEL in a location", "POST", "/api/jobs", """{"title": "Fix", "area": "Mission", "location": "1 Valencia\u0007 St", "currency": "USD", "pricingType": "FLAT", "amount": 5000}""", "location" },
        { "ESC in an edited title", "PATCH", "/api/jobs/{flat}", """{"title": "New\u001b title"}""", "title" },
        { "DEL in an edited description", "PATCH", "/api/jobs/{flat}", """{"description": "Leaks\u007f"}""", "description" },
        { "NUL in an offer's message", "POST", "/api/jobs/{hourly}/offers", """{"message": "I can\u0000 do it"}""", "message" },
        { "BEL in a message", "POST", "/api/threads/{thread}/messages", """{"body": "hello\u0007"}""", "body" },
        { "ESC in a decline reason", "POST", "/api/offers/{offer}/decline", """{"reason": "no\u001b[31m"}""", "reason" },
        { "NUL in a cancel reason", "POST", "/api/jobs/{hourly}/cancel", """{"reason": "changed\u0000 my mind"}""", "reason" },
        { "a lone carriage return in an unassign reason", "POST", "/api/jobs/{flat}/unassign", """{"reason": "gone\rback"}""", "reason" },
        { "a tab in a display name", "PUT", "/api/me", """{"displayName": "Bob\tSmith"}""", "displayName" },
        { "DEL in a display name", "PUT", "/api/me", """{"displayName": "Bob\u007f"}""", "displayName" },
    };

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task A_control_character_gets_400_naming_the_field_and_stores_nothing(string what, string method, string path, string body, string field)
    {
        var sender = path.Contains("/offers", StringComparison.Ordinal) || path.Contains("/threads", StringComparison.Ordinal) ? app.Hustler : app.Customer;
        var before = await StateAsync(sender);
        var target = path.Replace("{flat}", app.FlatJob, StringComparison.Ordinal).Replace("{hourly}", app.HourlyJob, StringComparison.Ordinal)
            .Replace("{offer}", app.Offer, StringComparison.Ordinal).Replace("{thread}", app.Thread, StringComparison.Ordinal);

        var problem = await (await sender.SendRawAsync(new HttpMethod(method), target, body)).Problem(400, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{what}: {problem}");
        Assert.Equal(before, await StateAsync(sender));
    }

    [Fact]
    public async Task Long_text_keeps_tabs_and_line_breaks()
    {
        var description = "Two taps:\n\tkitchen\r\n\tbathroom";
        var job = await (await app.Customer.SendRawAsync(HttpMethod.Post, "/api/jobs", """{"title": "Fix", "description": "Two taps:\n\tkitchen\r\n\tbathroom", """ + Job + "}")).Json(HttpStatusCode.Created);

        await using var db = app.Db();
        Assert.Equal(description, (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Str("id"))).Description);
    }

    [Fact]
    public async Task Text_is_stored_in_NFC()
    {
        // "é" as e + COMBINING ACUTE ACCENT (U+0301) is stored as the single code point U+00E9.
        var job = await (await app.Customer.SendRawAsync(HttpMethod.Post, "/api/jobs", """{"title": "Cafe\u0301 sign", "description": "Re\u0301sume\u0301", """ + Job + "}")).Json(HttpStatusCode.Created);
        await (await app.Hustler.Client.PostAsJsonAsync($"/api/threads/{app.Thread}/messages", new { body = "Cafe\u0301?" })).Json(HttpStatusCode.Created);
        await (await app.Customer.Client.PutAsJsonAsync("/api/me", new { displayName = "Ame\u0301lie" })).Json();

        await using var db = app.Db();
        var stored = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Str("id"));
        Assert.Equal(("Caf\u00e9 sign", "R\u00e9sum\u00e9"), (stored.Title, stored.Description));
        Assert.Contains(await db.Messages.AsNoTracking().Where(m => m.ThreadId == app.Thread).Select(m => m.Body).ToListAsync(), b => b == "Caf\u00e9?");
        Assert.Equal("Am\u00e9lie", (await app.Customer.GetMeAsync()).Str("displayName"));
    }

    /// <summary>Rows, both jobs, the thread's messages, the sender's display name and feed: what a refusal must leave alone.</summary>
    private async Task<string> StateAsync(TestUser sender)
    {
        await using var db = app.Db();
        var messages = await db.Messages.CountAsync(m => m.ThreadId == app.Thread);
        return $"{await app.RowCountsAsync()} {await app.SnapshotAsync(app.FlatJob)} {await app.SnapshotAsync(app.HourlyJob)} messages={messages} "
            + $"name={(await sender.GetMeAsync()).Str("displayName")} feed={(await sender.FeedAsync()).Count}";
    }
}

internal static class MeExtensions
{
    public static async Task<JsonElement> GetMeAsync(this TestUser user) => await (await user.Client.GetAsync("/api/me")).Json();
}
