using Microsoft.Playwright;

namespace AspireTickets.EndToEnd;

/// <summary>
/// Headless Chromium through Playwright, using the system's Chromium (<c>/usr/bin/chromium</c>, or
/// <c>TICKETS_E2E_CHROMIUM</c>) because nothing may be downloaded at run time. A missing browser is an error:
/// these tests must fail loudly rather than pass without having run.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("TICKETS_E2E_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException(
                $"Chromium is required for the end-to-end tests and was not found at {executable}. Install it (apt-get install -y chromium) or set TICKETS_E2E_CHROMIUM.");
        }
        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
