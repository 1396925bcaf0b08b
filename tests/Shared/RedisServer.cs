using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace HotlineBot.Testing;

/// <summary>
/// A real redis-server for a test assembly (register it with <c>[assembly: AssemblyFixture(typeof(RedisServer))]</c>), started on a free loopback port with append-only
/// persistence in a temporary folder, and stopped afterwards. Tests share it and keep apart by key
/// prefix (<see cref="NewPrefix"/>). Where no server can be started the tests that need one skip,
/// saying why; with HOTLINE_REQUIRE_REDIS=1 (CI) they fail instead.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private const string RequireVariable = "HOTLINE_REQUIRE_REDIS";

    private static readonly string[] Executables = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotlinebot-tests", "redis-" + Guid.NewGuid().ToString("N"));
    private Process? _process;
    private ConnectionMultiplexer? _connection;
    private string? _unavailable;

    public int Port { get; private set; }

    /// <summary>host:port, as <c>ConnectionStrings:Redis</c> takes it.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=5000";

    /// <summary>The shared connection; skips (or, in CI, fails) the calling test when there is no server.</summary>
    public ConnectionMultiplexer Connection
    {
        get
        {
            if (_unavailable is not null)
            {
                if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
                {
                    Assert.Fail($"{RequireVariable}=1 but no Redis server: {_unavailable}");
                }

                Assert.Skip($"No Redis server: {_unavailable}. Install redis-server (Debian: apt-get install redis-server) to run this test.");
            }

            return _connection!;
        }
    }

    /// <summary>
    /// A connection to a loopback port nothing listens on (handed out and taken back), failing fast as the
    /// host's connection does: what a store sees while Redis is out of reach. Dispose it.
    /// </summary>
    public static Task<ConnectionMultiplexer> ConnectUnreachableAsync()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{FreePort()},abortConnect=false,connectTimeout=1000");
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => "test-" + Guid.NewGuid().ToString("N")[..12] + ":";

    public async ValueTask InitializeAsync()
    {
        var executable = Executables.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            _unavailable = "redis-server is not installed";
            return;
        }

        Directory.CreateDirectory(_directory);
        Port = FreePort();
        try
        {
            await StartAsync(executable);
            _connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or RedisException or System.ComponentModel.Win32Exception)
        {
            _unavailable = $"redis-server did not start: {e.Message}";
        }
    }

    /// <summary>Stops the server (as a crash would: no final save) and starts it again on the same port and files.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        _process!.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        await Task.Delay(downtime);
        await StartAsync(_process.StartInfo.FileName);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the system temp folder.
        }
    }

    private async Task StartAsync(string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        // AOF with fsync on every write: what the README asks of a production Redis, so a restart loses nothing confirmed.
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory, "--appendonly", "yes", "--appendfsync", "always", "--save", string.Empty, "--protected-mode", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}.");
            }

            // Listening is not enough: while the append-only file is replayed, commands answer LOADING.
            if (await AnswersPingAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("redis-server did not answer PING within 10 s.");
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
