using Microsoft.Playwright;

namespace AspireTickets.EndToEnd;

public static class PageScreens
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public static async Task<IPage> NewPageAsync(this BrowserFixture browser, ProductProcess product, ViewportSize viewport)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = product.BaseAddress.ToString(),
            ViewportSize = viewport,
            // Fixed, so the analytics page's range (in the browser's zone) is the one the test asks the Api about.
            TimezoneId = "UTC",
            Locale = "en-US",
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// The browser's reports of anything the page's content security policy blocked, collected from now on. Chromium
    /// reports each refused script, style or connection as a console error naming the policy.
    /// </summary>
    public static IReadOnlyCollection<string> RecordPolicyViolations(this IPage page)
    {
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue(message.Text);
            }
        };
        return violations;
    }

    public static async Task SignInAsync(this IPage page, string user = ProductProcess.AdminUser, string password = ProductProcess.AdminPassword)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/tickets**");
        await page.WaitForBlazorAsync();
    }

    /// <summary>Waits until the interactive circuit is up, so clicks reach the components.</summary>
    public static async Task WaitForBlazorAsync(this IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined && document.querySelector('.mud-layout') !== null");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Picks <paramref name="option"/> in the MudSelect whose input has <paramref name="inputId"/>.</summary>
    public static async Task SelectAsync(this IPage page, string inputId, string option)
    {
        await page.Locator($"div.mud-select:has(#{inputId})").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{option}\\s*$") }).First.ClickAsync();
        await page.Keyboard.PressAsync("Escape");
    }

    public static async Task ShotAsync(this IPage page, string name)
    {
        var width = page.ViewportSize?.Width ?? 0;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}-{width}.png"), FullPage = true });
    }
}
