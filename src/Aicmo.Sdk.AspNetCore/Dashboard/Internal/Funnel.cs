using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>
/// Turns a campaign's counts into its funnel. A lead has reached a step when its state is that step's or one that can only follow it:
/// <c>enriched</c> and <c>scored</c> count every lead past them (disqualified and manual review included, quarantined and new not),
/// <c>qualified</c> counts leads qualified or later in the lead's journey (routed, contacted, replied, converted, unsubscribed, bounced).
/// <c>harvested</c> is the candidates of every run of the campaign; the difference to <c>stored</c> is duplicates (and leads of runs
/// still going).
/// </summary>
internal static class Funnel
{
    private static readonly LeadStatus[] Contacted = [LeadStatus.Contacted, LeadStatus.Replied, LeadStatus.Converted, LeadStatus.Unsubscribed, LeadStatus.Bounced];
    private static readonly LeadStatus[] Routed = [LeadStatus.Routed, .. Contacted];
    private static readonly LeadStatus[] Qualified = [LeadStatus.Qualified, .. Routed];
    private static readonly LeadStatus[] Scored = [LeadStatus.Scored, LeadStatus.Disqualified, LeadStatus.ManualReview, .. Qualified];
    private static readonly LeadStatus[] Enriched = [LeadStatus.Enriched, .. Scored];

    public static IReadOnlyList<FunnelStepResponse> Steps(CampaignSnapshot s)
    {
        var counts = s.Statistics.Counts;
        (string Stage, long Count)[] steps =
        [
            ("harvested", s.Harvested),
            ("stored", s.Statistics.Total),
            ("enriched", Sum(counts, Enriched)),
            ("scored", Sum(counts, Scored)),
            ("qualified", Sum(counts, Qualified)),
            ("routed", Sum(counts, Routed)),
            ("contacted", Sum(counts, Contacted)),
        ];
        var result = new FunnelStepResponse[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            double? rate = i == 0 || steps[i - 1].Count == 0 ? null : Math.Round((double)steps[i].Count / steps[i - 1].Count, 4);
            result[i] = new FunnelStepResponse(steps[i].Stage, steps[i].Count, rate);
        }

        return result;
    }

    /// <summary>Where the campaign's candidates ended: duplicates and suppressed from the runs, the rest from the leads' states.</summary>
    public static IReadOnlyDictionary<string, long> Outcomes(CampaignSnapshot s)
    {
        var c = s.Statistics.Counts;
        return new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["duplicates"] = s.Duplicates,
            ["disqualified"] = c.GetValueOrDefault(LeadStatus.Disqualified),
            ["manualReview"] = c.GetValueOrDefault(LeadStatus.ManualReview),
            ["quarantined"] = c.GetValueOrDefault(LeadStatus.Quarantined),
            ["suppressed"] = s.Suppressed,
            ["routed"] = c.GetValueOrDefault(LeadStatus.Routed),
            ["contacted"] = Sum(c, Contacted),
            ["inProgress"] = Sum(c, [LeadStatus.New, LeadStatus.Enriched, LeadStatus.Scored, LeadStatus.Qualified]),
        };
    }

    public static long ReachedQualified(IReadOnlyDictionary<LeadStatus, long> counts) => Sum(counts, Qualified);

    public static long ReachedRouted(IReadOnlyDictionary<LeadStatus, long> counts) => Sum(counts, Routed);

    public static long ReachedContacted(IReadOnlyDictionary<LeadStatus, long> counts) => Sum(counts, Contacted);

    public static IReadOnlyDictionary<string, long> ByStatus(IReadOnlyDictionary<LeadStatus, long> counts) =>
        Enum.GetValues<LeadStatus>().ToDictionary(st => st.ToString(), st => counts.GetValueOrDefault(st), StringComparer.Ordinal);

    private static long Sum(IReadOnlyDictionary<LeadStatus, long> counts, LeadStatus[] states)
    {
        long n = 0;
        foreach (var st in states)
        {
            n += counts.GetValueOrDefault(st);
        }

        return n;
    }
}
