using System.Diagnostics;
using Hustle.Web.Accounts;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hustle.StepCost;

/// <summary>Counts what one lifecycle step costs: SQL statements, allocated bytes, pushes (see <see cref="StepCostOptions.Usage"/>).</summary>
public static class StepCostBench
{
    public static async Task<int> Main(string[] args)
    {
        StepCostOptions options;
        try
        {
            options = StepCostOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(StepCostOptions.Usage);
            return 2;
        }

        // The test host finds the app's content root through the manifest the build put beside this program.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var folder = Directory.CreateTempSubdirectory("hustle-stepcost-");
        try
        {
            await using var postgres = options.Postgres ? await BenchPostgres.StartAsync() : null;
            var certificate = Path.Combine(folder.FullName, "keyring.pfx");
            KeyRingProtection.CreateOrLoad(certificate).Dispose();
            using IStatementCounter statements = postgres is null ? new SqliteStatements() : new PostgresStatements(postgres.LogPath);
            await using var app = postgres is null
                ? new StepCostApp("Sqlite", $"Data Source={Path.Combine(folder.FullName, "hustle.db")}", options.SqliteSynchronous, certificate)
                : new StepCostApp("PostgreSQL", postgres.ConnectionString, null, certificate);
            _ = app.Server;

            var pairs = new List<(BenchUser Customer, BenchUser Hustler)>();
            for (var i = 0; i < options.Pairs; i++)
            {
                pairs.Add((await app.SignUpAsync("customer"), await app.SignUpAsync("hustler")));
            }

            long received = 0;
            var hubs = new List<HubConnection>();
            if (options.Hub)
            {
                foreach (var user in pairs.SelectMany(p => new[] { p.Customer, p.Hustler }))
                {
                    hubs.Add(await app.ConnectAsync(user, () => Interlocked.Increment(ref received)));
                }
            }

            var steps = Lifecycle.Steps(options.Hourly, options.Keys);
            BenchJob NewJob(int i) => new(pairs[i % pairs.Count].Customer, pairs[i % pairs.Count].Hustler);

            // Pushes go out after the answer: a step's cost includes them, so each round ends once no event has come for a while.
            async Task QuiesceAsync()
            {
                for (var (last, quiet) = (-1L, 0); quiet < 5 && options.Hub; await Task.Delay(40))
                {
                    var now = Interlocked.Read(ref received);
                    (last, quiet) = now == last ? (last, quiet + 1) : (now, 0);
                }
            }

            foreach (var job in Enumerable.Range(0, options.Warmup).Select(NewJob))
            {
                foreach (var step in steps)
                {
                    await step.Run(job);
                }
            }

            await QuiesceAsync();
            var jobs = Enumerable.Range(0, options.Lifecycles).Select(NewJob).ToList();
            var rows = new List<StepCost>();
            var process = Process.GetCurrentProcess();
            foreach (var step in steps)
            {
                IReadOnlyList<string> sample = [];
                process.Refresh();
                var (sql0, bytes0, cpu0, events0) = (statements.Count, GC.GetTotalAllocatedBytes(precise: true), process.TotalProcessorTime, Interlocked.Read(ref received));
                for (var i = 0; i < jobs.Count; i++)
                {
                    if (i == 0)
                    {
                        statements.StartRecording();
                    }

                    await step.Run(jobs[i]);
                    if (i == 0)
                    {
                        sample = statements.StopRecording();
                    }
                }

                await QuiesceAsync();
                process.Refresh();
                var n = (double)jobs.Count;
                rows.Add(new StepCost(
                    step.Name,
                    (statements.Count - sql0) / n,
                    (GC.GetTotalAllocatedBytes(precise: true) - bytes0) / n / 1024,
                    (Interlocked.Read(ref received) - events0) / n,
                    (process.TotalProcessorTime - cpu0).TotalMicroseconds / n,
                    sample));
            }

            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }

            StepCost.Print(options, rows);
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
