using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Aicmo.Sdk.AspNetCore.Browser.Tests;

public sealed class DashboardBrowserTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static long Count(string? text) => long.Parse(text!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task EveryView_LoadsWithoutConsoleErrorsOrFailedRequests()
    {
        await using var tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(DashboardFixture.OperateKey);
        await tab.Page.Locator($"#campaigns tr[data-campaign='{fixture.SeededCampaignId}']").WaitForAsync();
        await tab.ScreenshotAsync("dashboard-overview.png");

        await tab.Page.Locator($"#campaigns tr[data-campaign='{fixture.SeededCampaignId}'] a").ClickAsync();
        await tab.Page.Locator("#funnel-table").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await tab.Page.Locator("#runs tbody tr").First.WaitForAsync();

        var contacted = await fixture.GetJsonAsync($"/api/v1/leads?campaignId={fixture.SeededCampaignId}&status=Contacted&pageSize=1");
        var email = contacted.GetProperty("items")[0].GetProperty("email").GetString()!;
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Lead journey" }).ClickAsync();
        await tab.Page.Locator("#lead-q").FillAsync(email);
        await tab.Page.Locator("#lead-q").PressAsync("Enter");
        await tab.Page.Locator("#lead-results a").First.ClickAsync();
        await tab.Page.Locator("#trail li").First.WaitForAsync();
        Assert.Equal("Contacted", await tab.Page.Locator("#trail li").Last.GetAttributeAsync("data-to"));
        await tab.Page.Locator("#outbox tbody tr").First.WaitForAsync();
        await tab.ScreenshotAsync("dashboard-lead-journey.png");

        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Page_IsServedWithAContentSecurityPolicyThatForbidsInlineScript()
    {
        await using var tab = await DashboardPage.OpenAsync(fixture);
        var response = await tab.Page.GotoAsync(new Uri(fixture.BaseAddress, "/dashboard/").ToString());
        var csp = (await response!.AllHeadersAsync())["content-security-policy"];
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);

        // The browser enforces it: an inline script added to the page does not run.
        await tab.Page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s); }");
        Assert.Equal("undefined", await tab.Page.EvaluateAsync<string>("() => typeof window.injected"));
    }

    [Fact]
    public async Task Funnel_ShowsTheSameNumbersAsTheApi()
    {
        await using var tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(DashboardFixture.ReadKey, $"#/campaigns/{fixture.SeededCampaignId}");
        await tab.Page.Locator("#funnel-table tbody tr").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        var api = await fixture.GetJsonAsync($"/api/v1/campaigns/{fixture.SeededCampaignId}/dashboard");
        foreach (var step in api.GetProperty("funnel").EnumerateArray())
        {
            var cell = tab.Page.Locator($"#funnel-table tr[data-stage='{step.GetProperty("stage").GetString()}'] td[data-count]");
            Assert.Equal(step.GetProperty("count").GetInt64(), Count(await cell.GetAttributeAsync("data-count")));
        }

        foreach (var outcome in api.GetProperty("outcomes").EnumerateObject())
        {
            var cell = tab.Page.Locator($"#outcomes tr[data-outcome='{outcome.Name}'] td");
            Assert.Equal(outcome.Value.GetInt64(), Count(await cell.GetAttributeAsync("data-count")));
        }

        Assert.True(api.GetProperty("funnel")[0].GetProperty("count").GetInt64() > 0);
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task RunStartedFromThePage_UpdatesStageCountersLive_AndEndsShowingTheRunsResult()
    {
        var campaign = await fixture.CreateCampaignAsync("Live run");
        await using var tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(DashboardFixture.OperateKey, $"#/campaigns/{campaign}");
        await tab.Page.Locator("#max-leads").FillAsync("500");
        await tab.Page.Locator("#start-run").ClickAsync();

        // Counters change while the run goes: two different readings of the dedup stage's input before the result shows.
        var dedupIn = tab.Page.Locator("#live-stages tr[data-stage='dedup'] td[data-in]");
        await dedupIn.WaitForAsync();
        var first = Count(await dedupIn.GetAttributeAsync("data-in"));
        await tab.ScreenshotAsync("dashboard-campaign-run.png");
        await tab.Page.WaitForFunctionAsync(
            "n => { const c = document.querySelector(\"#live-stages tr[data-stage='dedup'] td[data-in]\"); return c && Number(c.dataset.in) > n; }", first);
        Assert.Equal(0, await tab.Page.Locator("#run-result").CountAsync());
        Assert.Matches("[0-9,]+ leads/s", await tab.Page.Locator("#throughput").TextContentAsync());

        var result = tab.Page.Locator("#run-result");
        await result.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var runs = await fixture.GetJsonAsync($"/api/v1/campaigns/{campaign}/runs");
        var run = runs.GetProperty("items")[0];
        Assert.Equal(run.GetProperty("status").GetString(), await result.GetAttributeAsync("data-status"));
        Assert.Equal(run.GetProperty("harvested").GetInt64(), Count(await result.GetAttributeAsync("data-harvested")));
        Assert.Equal(500, run.GetProperty("harvested").GetInt64());
        Assert.Equal("true", await result.GetAttributeAsync("data-balanced"));

        // Live progress came from one event stream, not from polling the run or the dashboard.
        List<string> requests;
        lock (tab.Problems)
        {
            requests = [.. tab.Requests];
        }

        Assert.Single(requests, r => r.EndsWith("/events", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.StartsWith("GET /api/v1/runs/", StringComparison.Ordinal) && !r.EndsWith("/events", StringComparison.Ordinal));
        Assert.Single(requests, r => r.Contains("/dashboard", StringComparison.Ordinal) && r.StartsWith("GET /api/v1/", StringComparison.Ordinal));
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task Alert_AppearsAfterNFailedRuns_AndClearsAfterAHealthyOne()
    {
        var campaign = await fixture.CreateCampaignAsync("Flaky vendor");
        fixture.Failures.Failing[campaign] = true;
        await using var tab = await DashboardPage.OpenAsync(fixture);
        await tab.SignInAsync(DashboardFixture.ReadKey);
        var alert = tab.Page.Locator($"#alerts li[data-alert='consecutive-failed-runs'][data-campaign='{campaign}']");

        Assert.Equal("Failed", (await fixture.RunAsync(campaign, 30)).GetProperty("status").GetString());
        await tab.Page.ReloadAsync();
        await tab.Page.Locator("#campaigns").WaitForAsync();
        Assert.Equal(0, await alert.CountAsync());

        Assert.Equal("Failed", (await fixture.RunAsync(campaign, 30)).GetProperty("status").GetString());
        await tab.Page.ReloadAsync();
        await alert.WaitForAsync();
        Assert.Contains("critical", await alert.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("failing", await tab.Page.Locator($"#campaigns tr[data-campaign='{campaign}'] .badge").First.TextContentAsync());

        fixture.Failures.Failing.TryRemove(campaign, out _);
        Assert.Equal("Completed", (await fixture.RunAsync(campaign, 30)).GetProperty("status").GetString());
        await tab.Page.ReloadAsync();
        await tab.Page.Locator("#campaigns").WaitForAsync();
        Assert.Equal(0, await alert.CountAsync());
        Assert.Equal("healthy", await tab.Page.Locator($"#campaigns tr[data-campaign='{campaign}'] .badge").First.TextContentAsync());
        tab.AssertNoProblems();
    }

    [Fact]
    public async Task ReadOnlyUser_SeesNoOperateControls_AndAForgedOperateRequestIsRefused()
    {
        await using var tab = await DashboardPage.OpenAsync(fixture, width: 390, height: 844);
        await tab.SignInAsync(DashboardFixture.ReadKey, $"#/campaigns/{fixture.SeededCampaignId}");
        await tab.Page.Locator("#runs").WaitForAsync();
        Assert.Equal(0, await tab.Page.Locator("#run-form, #start-run, #cancel-run, #erase, [data-action]").CountAsync());
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "The page scrolls sideways at phone width.");
        tab.AssertNoProblems();

        var forged = await tab.Page.EvaluateAsync<JsonElement>(
            """
            async id => {
              const res = await fetch(`/api/v1/campaigns/${id}/runs`, {
                method: 'POST', headers: { 'X-Api-Key': sessionStorage.getItem('aicmo.apiKey'), 'Content-Type': 'application/json' }, body: '{}' });
              return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
            }
            """,
            fixture.SeededCampaignId);
        Assert.Equal(403, forged.GetProperty("status").GetInt32());
        Assert.StartsWith("application/problem+json", forged.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(403, forged.GetProperty("body").GetProperty("status").GetInt32());
        var runs = await fixture.GetJsonAsync($"/api/v1/campaigns/{fixture.SeededCampaignId}/runs");
        Assert.Equal(1, runs.GetProperty("items").GetArrayLength());
    }
}
