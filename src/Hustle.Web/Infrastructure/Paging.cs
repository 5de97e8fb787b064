using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Hustle.Web.Infrastructure;

/// <summary>A place in a list: the sort value (ticks or a sequence number) and id of the last item of a page.</summary>
public readonly record struct PageKey(long At, string Id);

/// <summary>
/// Keyset paging for every list: <c>limit</c> items (default <see cref="DefaultLimit"/>, at most <see cref="MaxLimit"/>;
/// outside 1..max the answer is 400) in a stable order with the id as tie-break, and, when more follow, an opaque
/// cursor for the next page. The cursor is given the same way on every list, whatever its body: a
/// <c>Link: &lt;…&gt;; rel="next"</c> header (RFC 8288) and <c>X-Next-Cursor</c>, and <c>nextCursor</c> in an object
/// body; the next page is asked for with <c>?after={cursor}</c>. A cursor is a position, not a snapshot: rows
/// inserted meanwhile before it are not shown, none after it is missed, none is repeated.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const string NextCursorHeader = "X-Next-Cursor";
    private const string Version = "p1";

    public static int Limit(int? limit) =>
        limit is < 1 or > MaxLimit ? throw ApiProblem.Validation($"limit must be between 1 and {MaxLimit}.") : limit ?? DefaultLimit;

    /// <summary>The position <paramref name="after"/> names, null for the first page; 400 for anything this API did not give out.</summary>
    public static PageKey? Read(string? after)
    {
        if (string.IsNullOrEmpty(after))
        {
            return null;
        }

        if (after.Length <= 200 && Base64Url.IsValid(after))
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(after)).Split('|', 3);
            if (parts is [Version, var at, var id] && long.TryParse(at, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return new PageKey(value, id);
            }
        }

        throw ApiProblem.Validation("after is not a cursor this list gave out; start again without it.");
    }

    public static string Write(PageKey key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}|{key.At}|{key.Id}")));

    /// <summary>
    /// <paramref name="rows"/> holds up to <paramref name="limit"/> + 1 items in list order: cuts it to the page and,
    /// when the extra one shows that more follow, announces the next page. Returns that page's cursor, or null.
    /// </summary>
    public static string? Cut<T>(HttpContext http, List<T> rows, int limit, Func<T, PageKey> keyOf)
    {
        if (rows.Count <= limit)
        {
            return null;
        }

        rows.RemoveRange(limit, rows.Count - limit);
        var next = Write(keyOf(rows[^1]));
        AnnounceNext(http, next);
        return next;
    }

    /// <summary>Sets the <c>Link rel="next"</c> and <c>X-Next-Cursor</c> headers: this request again with <c>after={next}</c>.</summary>
    public static void AnnounceNext(HttpContext http, string next)
    {
        var query = QueryHelpers.ParseQuery(http.Request.QueryString.Value)
            .Where(q => !q.Key.Equals("after", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>("after", next));
        var url = QueryHelpers.AddQueryString((http.Request.PathBase + http.Request.Path).ToString(), query);
        http.Response.Headers.Link = $"<{url}>; rel=\"next\"";
        http.Response.Headers[NextCursorHeader] = next;
    }

    public static DateTimeOffset Time(this PageKey key) => new(key.At, TimeSpan.Zero);

    public static PageKey KeyOf(DateTimeOffset at, string id) => new(at.UtcTicks, id);
}
