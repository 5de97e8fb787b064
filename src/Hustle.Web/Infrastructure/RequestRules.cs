namespace Hustle.Web.Infrastructure;

/// <summary>
/// Collects what is wrong with a request body, field by field, and refuses it as one 400 <c>validation_failed</c>
/// problem listing every error.
/// </summary>
public sealed class RequestRules
{
    public static readonly IReadOnlySet<string> Currencies = new HashSet<string>(StringComparer.Ordinal)
    {
        "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "SGD", "HKD", "ZAR", "MXN", "BRL", "INR",
    };

    public const long MaxMoney = 100_000_000;

    private readonly Dictionary<string, List<string>> _errors = [];

    /// <summary>
    /// Text a person typed: present if <paramref name="required"/>, at most <paramref name="max"/> characters, and free of
    /// control characters (C0, DEL, C1) and unpaired surrogates, which terminals, logs and PostgreSQL (NUL) treat as
    /// commands rather than text. Long text (<paramref name="multiline"/>) may hold tabs and line breaks. The JSON
    /// reader has already put every string in NFC (<see cref="Json"/>).
    /// </summary>
    public RequestRules Text(string field, string? value, int max, bool required = true, bool multiline = false)
    {
        if (value is null || value.Trim().Length == 0)
        {
            return required ? Add(field, $"{field} is required.") : this;
        }

        if (value.Length > max)
        {
            return Add(field, $"{field} must be at most {max} characters.");
        }

        // What is stored is the trimmed text: line breaks around a title are trimmed away, not refused.
        var text = value.Trim();
        return FirstForbidden(text, multiline) is { } at
            ? Add(field, $"{field} must not contain control characters{(multiline ? " other than tabs and line breaks" : "")}: U+{(int)text[at]:X4} at position {at}.")
            : this;
    }

    public RequestRules Money(string field, long? value, bool required)
    {
        if (value is null)
        {
            return required ? Add(field, $"{field} is required.") : this;
        }

        return value is < 1 or > MaxMoney ? Add(field, $"{field} must be a whole number of minor units between 1 and {MaxMoney}.") : this;
    }

    public RequestRules Currency(string field, string? value) =>
        value is null ? Add(field, $"{field} is required.")
        : Currencies.Contains(value) ? this
        : Add(field, $"{field} must be an ISO 4217 code Hustle supports ({string.Join(", ", Currencies)}).");

    public RequestRules Hours(string field, decimal? value, bool required)
    {
        if (value is null)
        {
            return required ? Add(field, $"{field} is required.") : this;
        }

        return value is < 0.25m or > 100m || value.Value * 4 != decimal.Truncate(value.Value * 4)
            ? Add(field, $"{field} must be between 0.25 and 100, in quarter hours.")
            : this;
    }

    public RequestRules Future(string field, DateTimeOffset? value, DateTimeOffset now, TimeSpan maxAhead)
    {
        if (value is null)
        {
            return this;
        }

        return value <= now || value > now + maxAhead ? Add(field, $"{field} must be in the future and within {maxAhead.TotalDays:0} days.") : this;
    }

    public RequestRules Absent(string field, object? value, string why) => value is null ? this : Add(field, why);

    public RequestRules When(bool wrong, string field, string message) => wrong ? Add(field, message) : this;

    public RequestRules Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    /// <summary>The index of the first character that is not text, or null.</summary>
    private static int? FirstForbidden(string value, bool multiline)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            var allowed = c switch
            {
                '\t' or '\n' => multiline,
                '\r' => multiline && i + 1 < value.Length && value[i + 1] == '\n',
                < ' ' or (>= '\u007F' and <= '\u009F') => false,
                _ => !char.IsSurrogate(c),
            };
            if (!allowed)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>Throws a 400 listing every error, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new RequestInvalidException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}

public sealed class RequestInvalidException(IDictionary<string, string[]> errors) : Exception(Describe(errors))
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>The <c>detail</c> of a 400: every error, in one sentence list.</summary>
    public static string Describe(IDictionary<string, string[]> errors) => "The request is not valid: " + string.Join(" ", errors.SelectMany(e => e.Value));
}
