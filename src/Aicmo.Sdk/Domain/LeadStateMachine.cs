namespace Aicmo.Sdk.Domain;

/// <summary>
/// The one place that decides which <see cref="LeadStatus"/> transitions are legal.
/// An illegal transition is a bug in a stage and throws <see cref="InvalidLeadTransitionException"/>.
/// </summary>
public static class LeadStateMachine
{
    private const int StateCount = (int)LeadStatus.Quarantined + 1;

    // Bit i of Allowed[from] is set when from -> (LeadStatus)i is legal. A table keeps the check allocation-free.
    private static readonly int[] Allowed = BuildTable();

    /// <summary>Returns whether a lead may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <returns><see langword="true"/> when the transition is legal.</returns>
    public static bool CanTransition(LeadStatus from, LeadStatus to)
    {
        uint f = (uint)from, t = (uint)to;
        return f < StateCount && t < StateCount && (Allowed[f] & (1 << (int)t)) != 0;
    }

    /// <summary>Throws when the transition is illegal.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <exception cref="InvalidLeadTransitionException">The transition is not allowed.</exception>
    public static void EnsureTransition(LeadStatus from, LeadStatus to)
    {
        if (!CanTransition(from, to))
        {
            throw new InvalidLeadTransitionException(from, to);
        }
    }

    /// <summary>Returns whether no further pipeline stage applies to a lead in <paramref name="status"/>.</summary>
    /// <param name="status">The state to test.</param>
    /// <returns><see langword="true"/> for outcome states.</returns>
    public static bool IsTerminalForPipeline(LeadStatus status) => status is
        LeadStatus.Disqualified or LeadStatus.ManualReview or LeadStatus.Contacted or LeadStatus.Replied or
        LeadStatus.Converted or LeadStatus.Unsubscribed or LeadStatus.Bounced or LeadStatus.Quarantined;

    /// <summary>Lists the states reachable in one step from <paramref name="from"/>.</summary>
    /// <param name="from">The current state.</param>
    /// <returns>The legal next states.</returns>
    public static IReadOnlyList<LeadStatus> NextStates(LeadStatus from)
    {
        var result = new List<LeadStatus>();
        for (var i = 0; i < StateCount; i++)
        {
            if (CanTransition(from, (LeadStatus)i))
            {
                result.Add((LeadStatus)i);
            }
        }

        return result;
    }

    private static int[] BuildTable()
    {
        var table = new int[StateCount];
        void Allow(LeadStatus from, params LeadStatus[] to)
        {
            foreach (var t in to)
            {
                table[(int)from] |= 1 << (int)t;
            }
        }

        // Enrichment is optional, so a new lead may be scored directly; a lead with no usable identity is disqualified at once.
        Allow(LeadStatus.New, LeadStatus.Enriched, LeadStatus.Scored, LeadStatus.Disqualified, LeadStatus.Quarantined);
        Allow(LeadStatus.Enriched, LeadStatus.Scored, LeadStatus.Disqualified, LeadStatus.Quarantined);
        Allow(LeadStatus.Scored, LeadStatus.Qualified, LeadStatus.Disqualified, LeadStatus.ManualReview, LeadStatus.Quarantined);
        Allow(LeadStatus.Qualified, LeadStatus.Routed, LeadStatus.ManualReview, LeadStatus.Disqualified, LeadStatus.Quarantined);

        // A person resolves manual review either way.
        Allow(LeadStatus.ManualReview, LeadStatus.Qualified, LeadStatus.Disqualified);
        Allow(LeadStatus.Routed, LeadStatus.Contacted, LeadStatus.Unsubscribed, LeadStatus.Bounced, LeadStatus.Converted, LeadStatus.ManualReview, LeadStatus.Quarantined);
        Allow(LeadStatus.Contacted, LeadStatus.Replied, LeadStatus.Converted, LeadStatus.Unsubscribed, LeadStatus.Bounced, LeadStatus.Quarantined);
        Allow(LeadStatus.Replied, LeadStatus.Converted, LeadStatus.Unsubscribed);

        // Quarantine must be reachable from wherever a stage can fail, including custom stages after nurture.
        for (var from = 0; from < StateCount; from++)
        {
            if (from != (int)LeadStatus.Quarantined)
            {
                table[from] |= 1 << (int)LeadStatus.Quarantined;
            }
        }

        // A quarantined lead may be released for another attempt from the start.
        Allow(LeadStatus.Quarantined, LeadStatus.New);
        return table;
    }
}
