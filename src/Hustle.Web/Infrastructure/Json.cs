using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hustle.Web.Infrastructure;

public static class Json
{
    /// <summary>The contract's JSON: camelCase, UPPER_SNAKE enums, unknown fields refused.</summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.NumberHandling = JsonNumberHandling.Strict;
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        return o;
    }
}
