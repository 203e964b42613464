using System.Text.Json;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Tests.Dashboard;

public class AlertEndpointsTests
{
    private static async Task<JsonElement> RunAsync(ApiHost host, HttpClient client, string id)
    {
        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("""{"maxLeads":30}"""));
        return await host.WaitForRunAsync(client, started.Headers.Location!.OriginalString);
    }

    private static async Task<JsonElement[]> AlertsAsync(HttpClient client) =>
        [.. (await ApiHost.ReadJsonAsync(await client.GetAsync("/api/v1/alerts"))).GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task ConsecutiveFailedRuns_AlertAppearsAtTheThreshold_AndClearsAfterAHealthyRun()
    {
        var failure = new FailureSwitch { Failing = true };
        await using var host = await ApiHost.StartAsync(
            pipeline: p => p.AddEnricher<SwitchableFailingEnricher>().ConfigureAicmoAlerts(o => o.ConsecutiveFailedRuns = 2),
            services: s => s.AddSingleton(failure));
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();

        Assert.Equal("Failed", (await RunAsync(host, client, id)).GetProperty("status").GetString());
        Assert.DoesNotContain(await AlertsAsync(client), a => a.GetProperty("type").GetString() == "consecutive-failed-runs");
        var status = await ApiHost.ReadJsonAsync(await client.GetAsync($"/api/v1/campaigns/{id}/status"));
        Assert.Equal("degraded", status.GetProperty("health").GetString());

        Assert.Equal("Failed", (await RunAsync(host, client, id)).GetProperty("status").GetString());
        var alert = Assert.Single(await AlertsAsync(client), a => a.GetProperty("type").GetString() == "consecutive-failed-runs");
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal(id, alert.GetProperty("campaignId").GetString());
        Assert.Equal(2, alert.GetProperty("value").GetDouble());
        var dashboard = await ApiHost.ReadJsonAsync(await client.GetAsync($"/api/v1/campaigns/{id}/dashboard"));
        Assert.Equal("failing", dashboard.GetProperty("health").GetString());
        Assert.Equal(2, dashboard.GetProperty("consecutiveFailedRuns").GetInt32());

        failure.Failing = false;
        Assert.Equal("Completed", (await RunAsync(host, client, id)).GetProperty("status").GetString());
        Assert.DoesNotContain(await AlertsAsync(client), a => a.GetProperty("campaignId").GetString() == id);
        dashboard = await ApiHost.ReadJsonAsync(await client.GetAsync($"/api/v1/campaigns/{id}/dashboard"));
        Assert.Equal("healthy", dashboard.GetProperty("health").GetString());
    }

    [Theory]
    [InlineData(0, 0.05, "ConsecutiveFailedRuns")]
    [InlineData(3, 1.5, "QuarantineRateThreshold")]
    [InlineData(3, -0.1, "QuarantineRateThreshold")]
    public async Task InvalidThresholds_FailAtStartUpNamingTheOption(int failedRuns, double quarantineRate, string option)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiHost.StartAsync(
            pipeline: p => p.ConfigureAicmoAlerts(o => (o.ConsecutiveFailedRuns, o.QuarantineRateThreshold) = (failedRuns, quarantineRate))));
        Assert.Contains("AicmoAlertOptions." + option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisfiredSchedule_InTheJobHistory_RaisesAWarning()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();
        var jobs = host.Services.GetRequiredService<Aicmo.Sdk.Storage.IJobStore>();
        var now = DateTimeOffset.UtcNow;
        await jobs.AppendResultAsync(new Aicmo.Sdk.Scheduling.JobResult
        {
            Id = Guid.NewGuid(), CampaignId = id, ScheduleId = "nightly", JobKind = Aicmo.Sdk.Scheduling.JobKinds.Pipeline,
            Status = Aicmo.Sdk.Scheduling.JobStatus.Misfired, ScheduledAt = now.AddMinutes(-30), CompletedAt = now.AddMinutes(-29),
        });

        var alert = Assert.Single(await AlertsAsync(client), a => a.GetProperty("type").GetString() == "misfired-schedule");
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
        Assert.Contains("nightly", alert.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
