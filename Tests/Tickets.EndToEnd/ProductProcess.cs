using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AspireTickets.EndToEnd;

/// <summary>
/// The product as a user starts it: <c>dotnet Web.dll --urls http://127.0.0.1:&lt;port&gt;</c> from the Web's build
/// output (what <c>dotnet run --project Web</c> runs), on a fresh data folder, with the first admin and an API key
/// given as environment variables. Killed (with its process tree) and the folder deleted on dispose.
/// </summary>
public sealed class ProductProcess : IAsyncLifetime
{
    public const string AdminUser = "e2e-admin";
    public const string AdminPassword = "e2e-password-123";
    public const string ApiKey = "e2e-api-key-0123456789";

    private readonly StringBuilder _output = new();
    private Process? _process;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "aspiretickets-e2e", Guid.NewGuid().ToString("n"));

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask InitializeAsync()
    {
        var webDll = LocateWebDll();
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(webDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.GetLeftPart(UriPartial.Authority));
        // As with `dotnet run` (launch profile): Development, so static assets come from the build output.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Tickets__DataDirectory"] = DataDirectory;
        start.Environment["Auth__BootstrapAdmin__UserName"] = AdminUser;
        start.Environment["Auth__BootstrapAdmin__Password"] = AdminPassword;
        start.Environment["Auth__ApiKeys__e2e"] = ApiKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__AspireTickets"] = "Information";

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The product exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync("account/login")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The product did not answer within 90 s:\n{Output}");
    }

    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        // The product's log is an artifact next to the screenshots, for diagnosing a failed run.
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await File.WriteAllTextAsync(Path.Combine(BrowserFixture.ScreenshotDirectory, "..", $"product-{BaseAddress.Port}.log"), Output);
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>The Web build of the same configuration as these tests (bin/Debug or bin/Release).</summary>
    private static string LocateWebDll()
    {
        var root = RepoRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Parent?.Name ?? "Debug";
        var candidates = new[] { configuration, "Debug", "Release" }
            .Select(c => Path.Combine(root, "Web", "bin", c, "net10.0", "Web.dll"))
            .Where(File.Exists)
            .ToList();
        return candidates.FirstOrDefault() ?? throw new FileNotFoundException($"Build the Web first: no Web.dll under {Path.Combine(root, "Web", "bin")}.");
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AspireTickets.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("AspireTickets.sln not found above the test folder.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
