using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace AspireTickets.EndToEnd;

public sealed class StaffWorkflowTests(ProductProcess product, BrowserFixture browser) : IClassFixture<ProductProcess>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Sign_in_and_see_the_queue()
    {
        var page = await browser.NewPageAsync(product, PageScreens.Desktop);
        await page.GotoAsync("/account/login");
        await page.ShotAsync("01-sign-in");
        await page.SignInAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ticket queue" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("live-state")).ToContainTextAsync("Live");

        // A ticket filed through the API shows up without a reload.
        using var api = product.CreateApiClient();
        var title = $"Printer on fire {Guid.NewGuid():n}"[..30];
        var created = await api.PostAsJsonAsync("api/tickets", new { title, description = "Smoke from tray 2.", priority = "High" }, TestContext.Current.CancellationToken);
        created.EnsureSuccessStatusCode();
        await Assertions.Expect(page.GetByText(title)).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.ShotAsync("02-queue");
    }
}
