using Hustle.Domain.Jobs;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hustle.Web.Data;

/// <summary>Stores an enum as its contract spelling (<c>AWAITING_CUSTOMER_CONFIRM</c>), so the database reads like the API.</summary>
public sealed class EnumText<T>() : ValueConverter<T, string>(v => JobText.UpperSnake(v.ToString()), v => Parse(v))
    where T : struct, Enum
{
    private static T Parse(string text) => Enum.Parse<T>(text.Replace("_", ""), ignoreCase: true);
}
