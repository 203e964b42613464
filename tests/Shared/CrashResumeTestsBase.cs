using System.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>
/// Kills a real host process with SIGKILL at several points of a run, resumes it in a new process, and checks what the store
/// holds: every candidate identity is one lead in exactly one outcome, at most one send per outbox key, and audit trails
/// without gaps.
/// </summary>
public abstract class CrashResumeTestsBase
{
    private const int Count = 1200;

    // The possible duplicate sends the host processes of this test counted (claims they found expired and sent again).
    private long _possibleDuplicates;

    private static readonly LeadStatus[] Outcomes =
    [
        LeadStatus.Disqualified, LeadStatus.ManualReview, LeadStatus.Routed, LeadStatus.Contacted,
        LeadStatus.Unsubscribed, LeadStatus.Bounced, LeadStatus.Quarantined,
    ];

    /// <summary>Gets the connection and schema arguments handed to the host process.</summary>
    protected abstract (string Connection, string Schema) HostArguments { get; }

    /// <summary>Opens the stores the host wrote to, in this process.</summary>
    protected abstract IServiceProvider OpenStores();

    [StoreFact]
    public async Task Killed_DuringHarvestAndAgainDuringResume_ResumeFinishesEveryLeadOnce()
    {
        var (campaign, runId) = NewRun();

        await KillWhenAsync("start", campaign, runId, line => Progress(line) is { Harvested: >= Count / 3 });
        await KillWhenAsync("resume", campaign, runId, line => line == "resuming", delay: TimeSpan.FromMilliseconds(300));
        await RunToEndAsync("resume", campaign, runId);

        await VerifyAsync(campaign);
    }

    [StoreFact]
    public async Task Killed_AtStartAndNearTheEnd_ResumeFinishesEveryLeadOnce()
    {
        var (campaign, runId) = NewRun();

        await KillWhenAsync("start", campaign, runId, line => Progress(line) is { Harvested: >= 1 });
        await RunToEndAsync("resume", campaign, runId);
        await VerifyAsync(campaign);

        var (campaign2, runId2) = NewRun();
        await KillWhenAsync("start", campaign2, runId2, line => Progress(line) is { Finished: >= Count / 2 });
        Assert.True(await RunToEndAsync("resume", campaign2, runId2) > 0, "the kill left no lead in flight to take over");
        await VerifyAsync(campaign2);
    }

    [StoreFact]
    public async Task TwoHostProcesses_SameCampaignAtOnce_StoreEachIdentityOnceAndFinishEveryLead()
    {
        var (campaign, first) = NewRun();
        var second = Guid.CreateVersion7();

        // Two processes harvest the same candidates into one campaign at the same time: the unique index decides who stores each.
        var results = await Task.WhenAll(RunToEndAsync("start", campaign, first), RunToEndAsync("start", campaign, second));

        Assert.All(results, resumed => Assert.Equal(0, resumed));
        await VerifyAsync(campaign);
    }

    [StoreFact]
    public async Task TwoHostProcesses_StartingAfterARunDied_ExactlyOneTakesItOver()
    {
        var (campaign, dead) = NewRun();
        await KillWhenAsync("start", campaign, dead, line => Progress(line) is { Finished: >= Count / 3 });

        // The killed run's record says Running until its heartbeat goes stale; mark it failed instead of waiting a minute.
        var runs = OpenStores().GetRequiredService<IRunRepository>();
        var record = (await runs.GetAsync(dead))!;
        await runs.SaveAsync(record with { Status = Aicmo.Sdk.Domain.PipelineRunStatus.Failed });
        Guid first = Guid.CreateVersion7(), second = Guid.CreateVersion7();

        var resumed = await Task.WhenAll(RunToEndAsync("start", campaign, first), RunToEndAsync("start", campaign, second));

        Assert.Single(resumed, r => r > 0);
        var taker = resumed[0] > 0 ? first : second;
        Assert.Equal(taker, (await runs.GetAsync(dead))!.TakenOverBy);
        await VerifyAsync(campaign);
    }

    private static (string Campaign, Guid RunId) NewRun() => ("crash-" + Guid.NewGuid().ToString("N")[..8], Guid.CreateVersion7());

    private static (long Harvested, long Finished)? Progress(string line)
    {
        var parts = line.Split(' ');
        return parts is ["progress", var h, var f] ? (long.Parse(h, System.Globalization.CultureInfo.InvariantCulture), long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    private async Task KillWhenAsync(string mode, string campaign, Guid runId, Func<string, bool> when, TimeSpan delay = default)
    {
        using var host = StartHost(mode, campaign, runId);
        var output = new List<string>();
        while (await host.StandardOutput.ReadLineAsync() is { } line)
        {
            output.Add(line);
            if (when(line))
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay);
                }

                // Process.Kill sends SIGKILL on Unix: no finally block, no flush, no graceful drain.
                host.Kill();
                break;
            }
        }

        await host.WaitForExitAsync();
        Assert.True(output.Count > 0, "the host printed nothing: " + await host.StandardError.ReadToEndAsync());
    }

    private async Task<long> RunToEndAsync(string mode, string campaign, Guid runId)
    {
        using var host = StartHost(mode, campaign, runId);
        var stdout = await host.StandardOutput.ReadToEndAsync();
        var stderr = await host.StandardError.ReadToEndAsync();
        await host.WaitForExitAsync();
        Assert.True(host.ExitCode == 0, $"the host exited with {host.ExitCode}.\n{stdout[Math.Max(0, stdout.Length - 2000)..]}\n{stderr}");

        // The leads the resumed run took over from the killed one.
        var done = stdout.Split('\n').Single(l => l.StartsWith("done ", StringComparison.Ordinal));
        var possible = done[(done.IndexOf("possible-duplicates=", StringComparison.Ordinal) + 20)..];
        Interlocked.Add(ref _possibleDuplicates, long.Parse(possible[..possible.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture));
        return long.Parse(done[(done.IndexOf("resumed=", StringComparison.Ordinal) + 8)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private Process StartHost(string mode, string campaign, Guid runId)
    {
        var (connection, schema) = HostArguments;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[GetType().Assembly.Location, "crash-host", mode, connection, schema, campaign, runId.ToString(), Count.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The host process did not start.");
    }

    /// <summary>
    /// When AICMO_CRASH_REPORT names a file, appends what the kills left in the one window that remains: claims still pending
    /// (the step stays due until the lease expires, then goes again as a possible duplicate), how many of those the transport had
    /// accepted before the kill (the ones that would reach the person twice), and the possible duplicates the runs counted.
    /// </summary>
    private void Report(string campaign, IReadOnlyList<string> sends, List<OutboxEntry> entries)
    {
        if (Environment.GetEnvironmentVariable("AICMO_CRASH_REPORT") is not { Length: > 0 } path)
        {
            return;
        }

        var accepted = sends.ToHashSet(StringComparer.Ordinal);
        var pending = entries.Where(e => e.Status == OutboxStatus.Pending).ToList();
        var acceptedPending = pending.Count(e => accepted.Contains(e.Key.IdempotencyKey));
        File.AppendAllText(path, string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{GetType().Name} {campaign}: sends={sends.Count} keys-sent-twice={sends.Count - accepted.Count} pending-claims={pending.Count} accepted-before-the-kill={acceptedPending} possible-duplicates-counted={Interlocked.Read(ref _possibleDuplicates)}\n"));
    }

    private async Task VerifyAsync(string campaign)
    {
        var stores = OpenStores();
        var leads = stores.GetRequiredService<ILeadRepository>();
        var audit = stores.GetRequiredService<IAuditLog>();
        var outbox = stores.GetRequiredService<IEmailOutbox>();

        var stored = new List<Lead>();
        for (var skip = 0; ; skip += 500)
        {
            var page = await leads.QueryAsync(new LeadQuery { CampaignId = campaign, Skip = skip, Take = 500 });
            stored.AddRange(page);
            if (page.Count < 500)
            {
                break;
            }
        }

        // No lead lost, none twice: the identities stored are exactly those the source yields.
        // Candidates without an identity have one derived from their record, so they are stored once too.
        var source = new SyntheticLeadSource(Count, CrashHost.Seed).Name;
        var expected = SyntheticLeadSource.Generate(Count, CrashHost.Seed)
            .Select(c => LeadIdentity.ComputeKey(c.Email, c.CompanyDomain, c.FirstName, c.LastName) ?? LeadIdentity.ComputeFallbackKey(c, source))
            .ToHashSet(StringComparer.Ordinal);
        var identified = stored.Select(l => l.IdentityKey).ToList();
        Assert.Equal(identified.Count, identified.Distinct(StringComparer.Ordinal).Count());
        Assert.True(expected.SetEquals(identified), $"expected {expected.Count} identities, stored {identified.Count}");

        // Every lead ended in exactly one outcome.
        var unfinished = stored.Where(l => !Outcomes.Contains(l.Status) || (l.Status == LeadStatus.Routed && l.Nurture is null)).ToList();
        Assert.True(unfinished.Count == 0, $"{unfinished.Count} leads did not finish: {string.Join(", ", unfinished.Take(5))}");

        // Sends counted by the transport in every host process, across the kills: no idempotency key reached it twice.
        var sends = CrashHost.ReadSends(campaign);
        var twice = sends.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} keys were sent more than once: {string.Join(", ", twice.Take(5))}");

        // At most one send per (lead, sequence, step), and one for every contacted lead.
        var entries = await outbox.ListAsync(take: 100_000);
        var mine = stored.Select(l => l.Id).ToHashSet();
        var campaignEntries = entries.Where(e => mine.Contains(e.Key.LeadId)).ToList();
        Assert.Equal(campaignEntries.Count, campaignEntries.Select(e => e.Key).Distinct().Count());
        var contacted = stored.Where(l => l.Status == LeadStatus.Contacted).Select(l => l.Id).ToHashSet();
        Assert.Equal(contacted.Count, campaignEntries.Count(e => contacted.Contains(e.Key.LeadId) && e.Status == OutboxStatus.Sent));
        Report(campaign, sends, campaignEntries);

        // Audit trails hold every version from 1 to the stored one exactly once, in order, and nothing past it (no event of a
        // write that was lost to the kill or to another run), ending in the stored state.
        foreach (var lead in stored)
        {
            var trail = await audit.ReadAsync(lead.Id);
            Assert.Equal(Enumerable.Range(1, (int)lead.Version).Select(i => (long)i), trail.Select(e => e.Sequence));
            Assert.Equal(lead.Status, trail[^1].To);
        }
    }
}
