using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// One read of <see cref="InMemoryLeadStatistics"/> over in-memory stores holding a campaign of <see cref="Leads"/> leads (the
/// dashboard benchmark's mix: 30 % disqualified with an audit event, 20 % contacted with a sent outbox entry) and another campaign
/// of the same size. The baseline is <see cref="ILeadRepository.CountByStatusAsync"/>: the repository's own single pass over its
/// leads, the least a read that scans can cost.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
[SmokeLeads(5_000)]
public class InMemoryLeadStatisticsBenchmarks
{
    private const string CampaignId = "bench-campaign";
    private static readonly LeadStatus[] Mix =
    [
        LeadStatus.Contacted, LeadStatus.Contacted, LeadStatus.Routed, LeadStatus.Disqualified, LeadStatus.Disqualified,
        LeadStatus.Disqualified, LeadStatus.ManualReview, LeadStatus.Qualified, LeadStatus.Scored, LeadStatus.Quarantined,
    ];

    private InMemoryLeadRepository _leads = new();
    private InMemoryLeadStatistics? _statistics;
    private LeadStatisticsQuery? _query;

    [Params(1_000_000)]
    public int Leads { get; set; } = 1_000_000;

    [GlobalSetup]
    public async Task GlobalSetup()
    {
        var audit = new InMemoryAuditLog();
        var outbox = new InMemoryEmailOutbox();
        _leads = new InMemoryLeadRepository(audit);
        var now = DateTimeOffset.UtcNow;
        var runId = Guid.NewGuid();
        foreach (var campaign in new[] { CampaignId, "other-campaign" })
        {
            for (var i = 0; i < Leads; i++)
            {
                var at = now.AddMinutes(-(i % 20_000));
                var lead = new Lead
                {
                    Id = Guid.CreateVersion7(at), CampaignId = campaign, IdentityKey = string.Create(CultureInfo.InvariantCulture, $"e:person{i}@example.com"),
                    RunId = runId, Status = Mix[i % Mix.Length], CreatedAt = at, UpdatedAt = at, Version = 1,
                };
                await _leads.TryAddAsync(lead);
                if (lead.Status == LeadStatus.Disqualified)
                {
                    await audit.AppendAsync(new AuditEvent(lead.Id, campaign, runId, 4, "qualify", LeadStatus.Scored, LeadStatus.Disqualified, "score below 40", at));
                }
                else if (lead.Status == LeadStatus.Contacted)
                {
                    var key = new OutboxKey(lead.Id, "enterprise", 1);
                    await outbox.ReserveAsync(new OutboxEntry { Key = key, CampaignId = campaign, To = "person@example.com", Subject = "Hello", Status = OutboxStatus.Pending, CreatedAt = at });
                    await outbox.MarkSentAsync(key, null, i % 4 == 0 ? now : now.AddDays(-3));
                }
            }
        }

        _statistics = new InMemoryLeadStatistics(_leads, audit, outbox);
        _query = new LeadStatisticsQuery { CampaignId = CampaignId, CreatedSince = now.AddDays(-7), SentSince = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) };
        var check = await _statistics.GetCampaignStatisticsAsync(_query);
        if (check.Total != Leads)
        {
            throw new InvalidOperationException($"Counted {check.Total} leads, seeded {Leads}.");
        }
    }

    [Benchmark(Baseline = true, Description = "CountByStatusAsync (one pass over the leads)")]
    public async Task<IReadOnlyDictionary<LeadStatus, long>> CountByStatus() => await _leads.CountByStatusAsync(CampaignId);

    [Benchmark(Description = "GetCampaignStatisticsAsync")]
    public async Task<CampaignLeadStatistics> Statistics() => await _statistics!.GetCampaignStatisticsAsync(_query!);
}
