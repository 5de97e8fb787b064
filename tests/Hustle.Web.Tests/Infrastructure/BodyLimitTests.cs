using System.Net;
using System.Text;
using Hustle.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hustle.Web.Tests.Infrastructure;

/// <summary>
/// Bodies over the JSON API's cap (64 KiB) are answered 413 <c>payload_too_large</c> problem details: before reading when
/// <c>Content-Length</c> says so, as soon as the cap is passed when the body is chunked. Nothing is created, and a
/// request with an <c>Idempotency-Key</c> leaves no record behind.
/// </summary>
public class BodyLimitTests(TestApp app) : IClassFixture<TestApp>
{
    public const string TooLargeType = "https://tools.ietf.org/html/rfc9110#section-15.5.14";

    [Theory]
    [InlineData(false, null)]
    [InlineData(false, "big-sized")]
    [InlineData(true, null)]
    [InlineData(true, "big-chunked")]
    public async Task A_job_body_over_the_cap_gets_413_and_creates_nothing(bool chunked, string? idempotencyKey)
    {
        var customer = await app.CreateUserAsync("big");
        var counts = await app.RowCountsAsync();

        var response = await customer.Client.SendAsync(BigJobRequest(BodyLimits.DefaultApiBytes + 1024, chunked, idempotencyKey));

        var problem = await response.Problem(413, "payload_too_large");
        Assert.Equal(TooLargeType, problem.Str("type"));
        Assert.Equal(counts, await app.RowCountsAsync());
        await using var db = app.Db();
        Assert.False(await db.Set<IdempotencyRecord>().AnyAsync(r => r.UserId == customer.Id));
    }

    [Fact]
    public async Task The_largest_legitimate_job_fits_under_the_cap()
    {
        var customer = await app.CreateUserAsync("long");
        // Every character of every text field at its maximum, each escaped as \uXXXX: the most bytes a valid job takes.
        var json = $$"""
            {"title": "{{Escaped(120)}}", "description": "{{Escaped(4000)}}", "area": "{{Escaped(120)}}", "location": "{{Escaped(300)}}",
             "pricingType": "HOURLY", "hourlyRate": 100000000, "estimatedHours": 99.75, "currency": "USD",
             "scheduledFor": "2026-12-01T12:00:00.0000000+00:00", "expiresAt": "2026-12-01T12:00:00.0000000+00:00"}
            """;

        await (await customer.SendRawAsync(HttpMethod.Post, "/api/jobs", json, idempotencyKey: "longest")).Json(HttpStatusCode.Created);
    }

    internal static HttpRequestMessage BigJobRequest(long bytes, bool chunked, string? idempotencyKey)
    {
        var json = Encoding.UTF8.GetBytes($$"""{"title": "Fix", "area": "a", "location": "l", "currency": "USD", "pricingType": "FLAT", "amount": 5000, "description": "{{new string('x', (int)bytes)}}"}""");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
        {
            Content = chunked ? new ChunkedContent(json) : new ByteArrayContent(json),
        };
        request.Content.Headers.ContentType = new("application/json");
        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyMiddleware.Header, idempotencyKey);
        }

        return request;
    }

    private static string Escaped(int characters) => string.Concat(Enumerable.Repeat("\\u00e9", characters));

    /// <summary>A body sent without <c>Content-Length</c>, as <c>Transfer-Encoding: chunked</c>.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var at = 0; at < body.Length; at += 8192)
            {
                await stream.WriteAsync(body.AsMemory(at, Math.Min(8192, body.Length - at)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
