using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Tests;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.PostgreSql.Tests;

/// <summary>
/// Two scheduler host processes share one PostgreSQL schema and the same pipeline schedule. The one running the campaign's run
/// is killed with SIGKILL part-way; the other takes the (campaign, pipeline) lease once it expires and resumes that run. Every
/// lead must end once, and no idempotency key may reach the transport twice (counted in a file both processes append to).
/// </summary>
[SkipWithoutPostgreSql]
public sealed class PostgreSqlSchedulerCrashTests : IAsyncLifetime
{
    private const int Count = 1200;
    private readonly PostgreSqlContractLifetime _lifetime = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();

    [StoreFact]
    public async Task TwoHostProcesses_TheOneRunningIsKilled_TheOtherResumesItsRunAfterTheLeaseExpires_EveryLeadOnceNoStepSentTwice()
    {
        var campaign = "sched-crash-" + Guid.NewGuid().ToString("N")[..8];
        var database = _lifetime.Database;
        var lines = Channel.CreateUnbounded<string>();
        var output = new List<string>();
        using var a = Start(database, campaign, "host-a", lines.Writer);
        using var b = Start(database, campaign, "host-b", lines.Writer);
        var hosts = new Dictionary<string, Process> { ["host-a"] = a, ["host-b"] = b };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        string? killed = null, survivor = null;
        Guid runId = default;
        try
        {
            // Kill whichever host runs the campaign's first run once a third of its leads are done.
            while (killed is null)
            {
                var line = await lines.Reader.ReadAsync(timeout.Token);
                output.Add(line);
                if (line.Split(' ') is ["progress", var host, var run, _, var finished] && long.Parse(finished, CultureInfo.InvariantCulture) >= Count / 3)
                {
                    hosts[host].Kill();
                    killed = host;
                    runId = Guid.Parse(run);
                }
            }

            survivor = killed == "host-a" ? "host-b" : "host-a";
            var killedAt = Stopwatch.StartNew();

            // The survivor's fires are skipped while the dead host's lease is live, then one resumes the run under the same id.
            string? resumed = null;
            while (resumed is null)
            {
                var line = await lines.Reader.ReadAsync(timeout.Token);
                output.Add(line);
                if (line.StartsWith($"run-completed {survivor} {runId} ", StringComparison.Ordinal) && !line.Contains(" Cancelled ", StringComparison.Ordinal))
                {
                    resumed = line;
                }
            }

            // The job's result is recorded after the run's last event: wait for it before stopping the survivor.
            while (!output[^1].StartsWith($"job-completed {survivor} ", StringComparison.Ordinal) || !output[^1].EndsWith(runId.ToString(), StringComparison.Ordinal))
            {
                output.Add(await lines.Reader.ReadAsync(timeout.Token));
            }

            Assert.Contains(output, l => l == $"job-started {survivor} 1 {runId}");
            Assert.Contains("balanced=True", resumed, StringComparison.Ordinal);
            Assert.DoesNotContain("resumed=0", resumed, StringComparison.Ordinal);
            Assert.True(killedAt.Elapsed >= TimeSpan.FromSeconds(1), "the run was resumed before the dead host's lease could expire");
            hosts[survivor].Kill();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("the run was not resumed in time:\n" + string.Join('\n', output.TakeLast(40)));
        }
        finally
        {
            foreach (var host in hosts.Values)
            {
                if (!host.HasExited)
                {
                    host.Kill();
                }

                await host.WaitForExitAsync();
            }
        }

        await VerifyAsync(database.Services, campaign);
        // The killed host recorded nothing for its run; the survivor recorded the resumed run as completed, under a newer token.
        var results = await database.Services.GetRequiredService<IJobStore>().QueryResultsAsync(new JobResultQuery { CampaignId = campaign, Take = 1000 });
        var resumedResult = Assert.Single(results, r => r.RunId == runId);
        Assert.Equal(survivor, resumedResult.Host);
        Assert.Contains(resumedResult.Status, new[] { JobStatus.Completed, JobStatus.CompletedWithErrors });
        Assert.True(resumedResult.FencingToken > 1);
        Assert.Contains((await database.Services.GetRequiredService<IRunRepository>().GetAsync(runId))!.Status, new[] { PipelineRunStatus.Completed, PipelineRunStatus.CompletedWithErrors });
    }

    private Process Start(PostgreSqlTestDatabase database, string campaign, string hostId, ChannelWriter<string> lines)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[GetType().Assembly.Location, "scheduler-host", database.ConnectionString, database.Schema, campaign, hostId, Count.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The host process did not start.");
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.TryWrite(line);
            }
        });
        return process;
    }

    private static async Task VerifyAsync(IServiceProvider stores, string campaign)
    {
        var leads = stores.GetRequiredService<ILeadRepository>();
        var stored = new List<Lead>();
        LeadPageKey? after = null;
        while (true)
        {
            var page = await leads.QueryAsync(new LeadQuery { CampaignId = campaign, After = after, Take = 500 });
            stored.AddRange(page);
            if (page.Count < 500)
            {
                break;
            }

            after = LeadPageKey.Of(page[^1]);
        }

        // Every identity the source yields is one lead, each in an outcome.
        var source = new SyntheticLeadSource(Count, CrashHost.Seed).Name;
        var expected = SyntheticLeadSource.Generate(Count, CrashHost.Seed)
            .Select(c => LeadIdentity.ComputeKey(c.Email, c.CompanyDomain, c.FirstName, c.LastName) ?? LeadIdentity.ComputeFallbackKey(c, source))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(stored.Count, stored.Select(l => l.IdentityKey).Distinct(StringComparer.Ordinal).Count());
        Assert.True(expected.SetEquals(stored.Select(l => l.IdentityKey)), $"expected {expected.Count} identities, stored {stored.Count}");
        var unfinished = stored.Where(l => !LeadStateMachine.IsTerminalForPipeline(l.Status) && !(l.Status == LeadStatus.Routed && l.Nurture is not null)).ToList();
        Assert.True(unfinished.Count == 0, $"{unfinished.Count} leads did not finish: {string.Join(", ", unfinished.Take(5).Select(l => l.Status))}");

        // No idempotency key reached the transport twice, in either process; one sent outbox entry per contacted lead.
        var sends = CrashHost.ReadSends(campaign);
        Assert.NotEmpty(sends);
        var twice = sends.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} keys were sent more than once: {string.Join(", ", twice.Take(5))}");
        var mine = stored.Select(l => l.Id).ToHashSet();
        var entries = (await stores.GetRequiredService<IEmailOutbox>().ListAsync(take: 100_000)).Where(e => mine.Contains(e.Key.LeadId)).ToList();
        Assert.Equal(entries.Count, entries.Select(e => e.Key).Distinct().Count());
        var contacted = stored.Where(l => l.Status == LeadStatus.Contacted).Select(l => l.Id).ToHashSet();
        Assert.Equal(contacted.Count, entries.Count(e => contacted.Contains(e.Key.LeadId) && e.Status == OutboxStatus.Sent));
    }
}
