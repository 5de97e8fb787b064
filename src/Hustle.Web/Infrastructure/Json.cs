using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hustle.Web.Infrastructure;

public static class Json
{
    /// <summary>
    /// The contract's JSON: camelCase, UPPER_SNAKE enums, unknown fields refused, a field given twice refused (which of
    /// two values a validator and a handler see must not depend on the parser), every string read as NFC.
    /// </summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
        o.Converters.Add(new NfcStringConverter());
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.AllowDuplicateProperties = false;
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        return o;
    }

    /// <summary>
    /// Reads every string in Unicode normalization form C, so that "é" typed as one code point or as e + U+0301 is stored,
    /// compared and searched as the same text. Strings the reader cannot decode (an unpaired surrogate) are a JSON error.
    /// </summary>
    private sealed class NfcStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            return text is null || text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
