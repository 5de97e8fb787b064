using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Hustle.LoadTest;

/// <summary>A seeded load-test account and the bearer token the seed command made for it.</summary>
public sealed record SeededUser(string Id, string Email, string Token);

/// <summary>
/// A Hustle node of its own: the Release build of <c>src/Hustle.Web</c> on a free loopback port and a fresh SQLite
/// file (or the PostgreSQL database it is given), started as a child process (so its PID is the server's, for CPU and memory) and stopped by that PID.
/// </summary>
public sealed class Node : IAsyncDisposable
{
    public const string OperatorEmail = "bench-operator@load.hustle.test";
    public const string Password = "Load-test-1";
    public const string OperatorPassword = "Load-test-operator-1";

    private readonly string _folder;
    private readonly string _dll;
    private readonly string[] _database;
    private readonly StreamWriter _log;
    private Process? _process;

    private readonly IReadOnlyList<string> _extraSettings;

    private Node(string webBin, string folder, Func<string, string[]> database, IReadOnlyList<string> extraSettings)
    {
        _extraSettings = extraSettings;
        _folder = folder;
        _dll = Path.Combine(webBin, "Hustle.Web.dll");
        _database = database(folder);
        _log = new StreamWriter(Path.Combine(folder, "node.log")) { AutoFlush = true };
        Port = FreePort();
        MetricsPort = FreePort();
    }

    public int Port { get; }

    /// <summary>The node's management port (<c>Hustle:Metrics:Port</c>), where Prometheus (and the bench) scrape without signing in.</summary>
    public int MetricsPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public Uri MetricsEndpoint => new($"http://127.0.0.1:{MetricsPort}/metrics");

    public int Pid => _process?.Id ?? throw new InvalidOperationException("The node is not running.");

    public string LogPath => Path.Combine(_folder, "node.log");

    /// <summary>The node's CPU time and memory now; a node that died says so, with its log.</summary>
    public ProcessStats Stats() => _process is { HasExited: false }
        ? ProcessStats.Read(_process.Id)
        : throw new InvalidOperationException($"The node is not running; see {LogPath}.");

    /// <summary>The node's database settings: a SQLite file in the node's folder, with a synchronous mode when given.</summary>
    public static Func<string, string[]> Sqlite(string? synchronous) => folder =>
    [
        $"--ConnectionStrings:Hustle=Data Source={Path.Combine(folder, "hustle.db")}",
        .. synchronous is null ? Array.Empty<string>() : [$"--Hustle:SqliteSynchronous={synchronous}"],
    ];

    public static Func<string, string[]> Postgres(string connectionString) => _ =>
        ["--Hustle:Database:Provider=PostgreSQL", $"--ConnectionStrings:Hustle={connectionString}"];

    /// <summary>Finds the Hustle.Web build of the same configuration as this bench (Release for figures).</summary>
    public static Node Create(Func<string, string[]> database, IReadOnlyList<string> extraSettings, out string configuration)
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        configuration = bin.Parent!.Name;
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Hustle.slnx")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("Run the bench from the repository (Hustle.slnx not found above the build folder).");
        }

        var webBin = Path.Combine(root.FullName, "src", "Hustle.Web", "bin", configuration, bin.Name);
        var folder = Directory.CreateTempSubdirectory("hustle-bench-").FullName;
        return new Node(webBin, folder, database, extraSettings);
    }

    /// <summary>Runs <c>Hustle.Web seed-users</c> (which also migrates the new database) and reads the tokens it wrote.</summary>
    public async Task<IReadOnlyList<SeededUser>> SeedAsync(int count)
    {
        var tokens = Path.Combine(_folder, "tokens.tsv");
        using var seed = Start(["seed-users", "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--prefix", "load", "--password", Password, "--tokens", tokens, .. Settings()]);
        await seed.WaitForExitAsync();
        if (seed.ExitCode != 0)
        {
            throw new InvalidOperationException($"seed-users failed ({seed.ExitCode}); see {LogPath}.");
        }

        return [.. (await File.ReadAllLinesAsync(tokens)).Select(line => line.Split('\t')).Select(f => new SeededUser(f[0], f[1], f[2]))];
    }

    public async Task StartAsync(HttpClient http)
    {
        _process = Start([$"--Urls={BaseAddress};http://127.0.0.1:{MetricsPort}", $"--Hustle:Metrics:Port={MetricsPort}", .. Settings()]);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The node exited with {_process.ExitCode}; see {LogPath}.");
            }

            try
            {
                if ((await http.GetAsync(new Uri(BaseAddress, "/health"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Runs a full, compacting garbage collection in the node (<c>/api/ops/metrics?collect=true</c>, for operators), so
    /// that the next scrape's heap is what is really alive: the memory per connection.
    /// </summary>
    public async Task CollectGarbageAsync(HttpClient http, string operatorToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, "/api/ops/metrics?collect=true"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", operatorToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The operator's token, for <c>/api/ops/metrics?collect=true</c>: registered through the API like anyone (with a password the
    /// sign-up policy accepts), made an operator with the node's own <c>grant-operator</c> command, then signed in.
    /// </summary>
    public async Task<string> SignInOperatorAsync(HttpClient http)
    {
        var account = new { email = OperatorEmail, password = OperatorPassword };
        (await http.PostAsJsonAsync(new Uri(BaseAddress, "/api/auth/register"), account)).EnsureSuccessStatusCode();
        using var grant = Start(["grant-operator", OperatorEmail, .. Settings()]);
        await grant.WaitForExitAsync();
        if (grant.ExitCode != 0)
        {
            throw new InvalidOperationException($"grant-operator failed ({grant.ExitCode}); see {LogPath}.");
        }

        var login = await http.PostAsJsonAsync(new Uri(BaseAddress, "/api/auth/login"), account);
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// Configuration every run uses. Sign-in and code-entry rate limits are per client address and per user: lifted,
    /// because every simulated user shares 127.0.0.1 and one hustler enters hundreds of codes a minute; so are the
    /// per-user limits on jobs and offers, which 50 pairs at 500 transitions/s pass (about 86 jobs a minute each).
    /// </summary>
    private string[] Settings() =>
    [
        .. _database,
        "--Hustle:RateLimits:SignInPerMinute=1000000",
        "--Hustle:RateLimits:CodeEntryPerMinute=1000000",
        "--Hustle:RateLimits:JobsPerMinute=1000000",
        "--Hustle:RateLimits:OffersPerMinute=1000000",
        .. _extraSettings.Select(setting => $"--{setting}"),
    ];

    private Process Start(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(_dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the node at once, when the bench is interrupted; nothing after a normal end.</summary>
    public void StopNow()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
        lock (_log)
        {
            _log.Dispose();
        }

        // The log stays for a look after the run; the database and the tokens go.
        foreach (var file in Directory.GetFiles(_folder, "hustle.db*").Append(Path.Combine(_folder, "tokens.tsv")))
        {
            File.Delete(file);
        }
    }
}
