using Microsoft.Playwright;

namespace Aicmo.Sdk.AspNetCore.Browser.Tests;

/// <summary>
/// A browser tab on the dashboard that records every console error, uncaught exception, failed request and HTTP error answer,
/// so a test can assert there were none. Sized 1280 × 800 unless told otherwise.
/// </summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private DashboardPage(IBrowserContext context, IPage page, Uri baseAddress)
    {
        _context = context;
        Page = page;
        BaseAddress = baseAddress;
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                lock (Problems)
                {
                    Problems.Add("console: " + m.Text);
                }
            }
        };
        page.PageError += (_, e) => Add("page error: " + e);
        page.RequestFailed += (_, r) => Add($"request failed: {r.Method} {r.Url} {r.Failure}");
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                Add($"HTTP {r.Status}: {r.Request.Method} {r.Url}");
            }
        };
        page.Request += (_, r) => Add(null, r.Method + " " + new Uri(r.Url).PathAndQuery);
    }

    public IPage Page { get; }

    public Uri BaseAddress { get; }

    public List<string> Problems { get; } = [];

    public List<string> Requests { get; } = [];

    public static async Task<DashboardPage> OpenAsync(DashboardFixture fixture, int width = 1280, int height = 800)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return new DashboardPage(context, page, fixture.BaseAddress);
    }

    /// <summary>Opens the page at <paramref name="hash"/> and signs in with <paramref name="key"/> through the page's own form.</summary>
    public async Task SignInAsync(string key, string hash = "#/")
    {
        await Page.GotoAsync(new Uri(BaseAddress, "/dashboard/" + hash).ToString());
        await Page.Locator("#api-key").FillAsync(key);
        await Page.Locator("#key-form button[type=submit]").ClickAsync();
        await Page.Locator("#caller").Filter(new LocatorFilterOptions { HasTextRegex = new System.Text.RegularExpressions.Regex(".+") }).WaitForAsync();
    }

    public async Task GoAsync(string hash)
    {
        await Page.EvaluateAsync("h => { location.hash = h; }", hash);
    }

    public async Task ScreenshotAsync(string name)
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "Aicmo.Sdk.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        Assert.NotNull(root);
        var path = Path.Combine(root, "docs", "images", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 5_000, $"The screenshot {path} is suspiciously small.");
    }

    public void AssertNoProblems()
    {
        lock (Problems)
        {
            Assert.True(Problems.Count == 0, "The page had problems:\n" + string.Join('\n', Problems));
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private void Add(string? problem, string? request = null)
    {
        lock (Problems)
        {
            if (problem is not null)
            {
                Problems.Add(problem);
            }

            if (request is not null)
            {
                Requests.Add(request);
            }
        }
    }
}
