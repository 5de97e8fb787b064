using System.Text;

namespace Hustle.Domain.Jobs;

/// <summary>The UPPER_SNAKE spelling of the contract (<c>AWAITING_CUSTOMER_CONFIRM</c>) for enum members.</summary>
public static class JobText
{
    public static string Status(JobStatus status) => UpperSnake(status.ToString());

    public static string UpperSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(pascal[i]));
        }

        return sb.ToString();
    }
}
