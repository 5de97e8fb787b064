using System.Text.Json;

namespace Hustle.Web.Infrastructure;

/// <summary>A body System.Text.Json could not read, as validation errors under the field it stopped at.</summary>
public static class UnreadableJson
{
    /// <summary>Money is whole minor units: 50.5, 50.123 or "5000" is not silently rounded but refused.</summary>
    private static readonly HashSet<string> MoneyFields = new(StringComparer.Ordinal) { "amount", "proposedAmount", "hourlyRate" };

    public static IDictionary<string, string[]> Errors(JsonException e)
    {
        var field = Field(e.Path);
        var message = MoneyFields.Contains(field)
            ? $"{field} must be a whole number of minor units (5000 for 50.00), without a fraction."
            : $"{field}: {Reason(e.Message)}";
        return new Dictionary<string, string[]> { [field] = [message] };
    }

    /// <summary><c>$.amount</c> is <c>amount</c>; the body itself (<c>$</c>, or no path) is <c>body</c>.</summary>
    private static string Field(string? path) => path switch
    {
        null or "$" or "" => "body",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ => path.TrimStart('$'),
    };

    /// <summary>The reader's message without its position suffix (" Path: $.x | LineNumber: 0 | …").</summary>
    private static string Reason(string message) =>
        message.IndexOf(" Path: ", StringComparison.Ordinal) is var at and >= 0 ? message[..at] : message;
}
