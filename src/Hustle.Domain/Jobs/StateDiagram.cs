using System.Text.Json;

namespace Hustle.Domain.Jobs;

/// <summary>
/// <see cref="TransitionTable"/> drawn as a Mermaid <c>stateDiagram-v2</c>, so that the diagram in
/// docs/ARCHITECTURE.md is generated from the rules rather than kept beside them (a test fails when the two differ).
/// </summary>
public static class StateDiagram
{
    public static string Mermaid()
    {
        var lines = new List<string> { "stateDiagram-v2", $"    [*] --> {Name(JobStatus.Open)}" };
        foreach (var row in TransitionTable.Rows)
        {
            var label = $"{Words(row.Action)} ({string.Join(", ", row.By.Order().Select(Words))})";
            foreach (var from in Enum.GetValues<JobStatus>().Where(row.From.Contains))
            {
                lines.Add($"    {Name(from)} --> {Name(row.To ?? from)} : {label}");
                if (row.ToWhenNoOfferPending is { } open)
                {
                    lines.Add($"    {Name(from)} --> {Name(open)} : {label}, no offer left pending");
                }
            }
        }

        var final = Enum.GetValues<JobStatus>().Where(s => !TransitionTable.Rows.Any(r => r.From.Contains(s)));
        lines.AddRange(final.Select(s => $"    {Name(s)} --> [*]"));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>The status as the API spells it: <c>COMPLETED_BY_HUSTLER</c>.</summary>
    private static string Name(JobStatus status) => JsonNamingPolicy.SnakeCaseUpper.ConvertName(status.ToString());

    private static string Words<T>(T value)
        where T : Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()).Replace('_', ' ');
}
