using System.Globalization;

namespace Hustle.LoadTest;

/// <summary>A process's CPU time and memory as Linux reports them in <c>/proc/PID/stat</c> and <c>/proc/PID/status</c>.</summary>
public sealed record ProcessStats(double CpuSeconds, long RssBytes, long PrivateBytes, DateTimeOffset At)
{
    /// <summary>Clock ticks per second of <c>/proc/PID/stat</c> (<c>getconf CLK_TCK</c>: 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static ProcessStats Read(int pid)
    {
        var cpu = CpuSecondsOf(pid) ?? throw new InvalidOperationException($"Process {pid} is gone.");
        long rss = 0, anon = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line);
            }
        }

        return new ProcessStats(cpu, rss, anon, DateTimeOffset.UtcNow);
    }

    /// <summary>User + system CPU seconds of a process, or null when it has gone.</summary>
    public static double? CpuSecondsOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Cores used on average between <paramref name="before"/> and this reading (1.0 = one core busy).</summary>
    public double CoresSince(ProcessStats before) => (CpuSeconds - before.CpuSeconds) / (At - before.At).TotalSeconds;

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
