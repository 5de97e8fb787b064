using System.Globalization;

namespace Hustle.StepCost;

/// <summary>What one kind of step cost on average: statements, allocations, pushes, and CPU (indicative only).</summary>
public sealed record StepCost(string Step, double Statements, double AllocatedKb, double Events, double CpuMicroseconds, IReadOnlyList<string> SampleSql)
{
    public static void Print(StepCostOptions options, IReadOnlyList<StepCost> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"Hustle step cost: {options.Describe()}; load average {LoadAverage()}"));
        Console.WriteLine();
        Console.WriteLine("| step | SQL statements | allocated KB | events pushed | CPU µs (indicative) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(inv, $"| {r.Step} | {r.Statements:0.##} | {r.AllocatedKb:0.#} | {r.Events:0.##} | {r.CpuMicroseconds:0} |"));
        }

        Console.WriteLine(string.Create(inv, $"| lifecycle | {rows.Sum(r => r.Statements):0.##} | {rows.Sum(r => r.AllocatedKb):0.#} | {rows.Sum(r => r.Events):0.##} | {rows.Sum(r => r.CpuMicroseconds):0} |"));
        if (!options.ShowSql)
        {
            return;
        }

        foreach (var r in rows)
        {
            Console.WriteLine();
            Console.WriteLine($"-- {r.Step}: the statements of one step");
            foreach (var sql in r.SampleSql)
            {
                var line = sql.ReplaceLineEndings(" ");
                Console.WriteLine(line.Length > 160 ? line[..160] + " …" : line);
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
