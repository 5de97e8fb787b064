using System.Text.Json;

namespace Hustle.Domain.Jobs;

/// <summary>The UPPER_SNAKE spelling of the contract (<c>AWAITING_CUSTOMER_CONFIRM</c>) for enum members.</summary>
public static class JobText
{
    public static string Status(JobStatus status) => UpperSnake(status.ToString());

    public static string UpperSnake(string pascal) => JsonNamingPolicy.SnakeCaseUpper.ConvertName(pascal);
}
