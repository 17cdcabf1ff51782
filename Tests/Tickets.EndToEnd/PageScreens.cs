using Microsoft.Playwright;

namespace AspireTickets.EndToEnd;

public static class PageScreens
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public static async Task<IPage> NewPageAsync(this BrowserFixture browser, ProductProcess product, ViewportSize viewport)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = product.BaseAddress.ToString(), ViewportSize = viewport });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
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

    public static async Task ShotAsync(this IPage page, string name)
    {
        var width = page.ViewportSize?.Width ?? 0;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}-{width}.png"), FullPage = true });
    }
}
