using System.Globalization;

namespace Hustle.StepCost;

/// <summary>The command line.</summary>
public sealed record StepCostOptions(int Lifecycles, int Warmup, int Pairs, bool Postgres, string? SqliteSynchronous, bool Hourly, bool Keys, bool Hub, bool ShowSql)
{
    public const string Usage =
        """
        dotnet run -c Release --project bench/Hustle.StepCost -- [options]
          --lifecycles N        jobs measured, each through every step (default 200)
          --warmup N            jobs run first, unmeasured (JIT, query caches, pools; default 30)
          --pairs N             customer and hustler pairs the jobs rotate over (default 4)
          --db D                sqlite (default: a fresh file) | postgres (a cluster of the bench's own, PostgreSQL 15)
          --sqlite-synchronous S  Hustle:SqliteSynchronous, NORMAL (default, as compare.sh) | FULL | none (not set)
          --flat                flat jobs (completion requests payment by itself) instead of hourly ones
          --keys                every change carries an Idempotency-Key, as the web client sends it
          --no-hub              nobody connected to the hub (no pushes sent)
          --show-sql            print the statements of one step of each kind
        """;

    public static StepCostOptions Parse(string[] args)
    {
        var o = new StepCostOptions(200, 30, 4, false, "NORMAL", true, false, true, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Count() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{args[i]} takes a positive whole number.");
            o = args[i] switch
            {
                "--lifecycles" => o with { Lifecycles = Count() },
                "--warmup" => o with { Warmup = Count() },
                "--pairs" => o with { Pairs = Count() },
                "--db" => Value() switch
                {
                    "sqlite" => o with { Postgres = false },
                    "postgres" => o with { Postgres = true },
                    var d => throw new ArgumentException($"--db is sqlite or postgres, not '{d}'."),
                },
                "--sqlite-synchronous" => o with { SqliteSynchronous = Value() is "none" ? null : args[i] },
                "--flat" => o with { Hourly = false },
                "--keys" => o with { Keys = true },
                "--no-hub" => o with { Hub = false },
                "--show-sql" => o with { ShowSql = true },
                var unknown => throw new ArgumentException($"Unknown option '{unknown}'."),
            };
        }

        return o;
    }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Postgres ? "PostgreSQL" : $"SQLite (synchronous {SqliteSynchronous ?? "default"})")}, {(Hourly ? "hourly" : "flat")} jobs, {Lifecycles} lifecycles after {Warmup} warm-up over {Pairs} pairs, "
        + $"{(Hub ? "both parties on the hub" : "nobody on the hub")}, {(Keys ? "an Idempotency-Key on every change" : "no Idempotency-Key")}");
}
