using System.Diagnostics;
using Aspire.Hosting;

namespace AspireTickets.AppHost.Tests;

/// <summary>
/// Starts the AppHost once for the test class (containers take a while) with every secret parameter given, and
/// waits until the api is healthy. Without a Docker engine it starts nothing and the tests skip.
/// </summary>
public sealed class DistributedAppFixture : IAsyncLifetime
{
    public const string ApiKey = "apphost-tests-api-key";

    // Values for the AppHost's secret parameters, as command-line configuration (Parameters:{name}).
    private static readonly string[] Arguments =
    [
        "Parameters:mongo-password=AppHostTestsMongo1",
        "Parameters:cache-password=AppHostTestsRedis1",
        "Parameters:qdrant-apikey=AppHostTestsQdrant1",
        $"Parameters:api-key={ApiKey}",
    ];

    private DistributedApplication? _app;

    public string? SkipReason { get; private set; }

    public HttpClient Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!DockerAnswers())
        {
            SkipReason = "skipped: no Docker engine (docker info failed); the AppHost runs its servers in containers";
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(Arguments, timeout.Token);
        _app = await appHost.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);
        Api = _app.CreateHttpClient("api");
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static bool DockerAnswers()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (docker is null)
            {
                return false;
            }
            docker.StandardOutput.ReadToEnd();
            docker.StandardError.ReadToEnd();
            return docker.WaitForExit(TimeSpan.FromSeconds(30)) && docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker CLI
        }
    }
}
