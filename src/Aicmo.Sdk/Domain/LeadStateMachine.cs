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

    /// <summary>
    /// Returns whether a backlog run (<see cref="PipelineRunKind.Backlog"/>) may take a stored lead in <paramref name="from"/>
    /// back to <paramref name="to"/>, the state its first chosen stage takes leads in, to run that stage again.
    /// </summary>
    /// <remarks>
    /// A lead goes back only to an earlier step of the pipeline (<see cref="LeadStatus.New"/>, <see cref="LeadStatus.Enriched"/>,
    /// <see cref="LeadStatus.Scored"/> or <see cref="LeadStatus.Qualified"/>), and only from a state before routing or from a
    /// decision that stopped it there (<see cref="LeadStatus.Disqualified"/>, <see cref="LeadStatus.ManualReview"/>,
    /// <see cref="LeadStatus.Quarantined"/>). A lead that was routed or contacted never goes back: it may be in a mail sequence.
    /// A lead already in <paramref name="to"/> needs no move, and this method returns <see langword="true"/> for it.
    /// </remarks>
    /// <param name="from">The stored lead's state.</param>
    /// <param name="to">The state the backlog's first stage takes leads in.</param>
    /// <returns><see langword="true"/> when the lead may enter the backlog there.</returns>
    public static bool CanReenter(LeadStatus from, LeadStatus to)
    {
        if (from == to)
        {
            return true;
        }

        var target = PipelineStep(to);
        if (target < 0 || to == LeadStatus.Routed)
        {
            return false;
        }

        return from switch
        {
            LeadStatus.Disqualified or LeadStatus.ManualReview or LeadStatus.Quarantined => true,
            LeadStatus.Enriched or LeadStatus.Scored or LeadStatus.Qualified => PipelineStep(from) > target,
            _ => false,
        };
    }

    // The position of a state on the pipeline's main line, or -1 for a state off it.
    private static int PipelineStep(LeadStatus status) => status switch
    {
        LeadStatus.New => 0,
        LeadStatus.Enriched => 1,
        LeadStatus.Scored => 2,
        LeadStatus.Qualified => 3,
        LeadStatus.Routed => 4,
        _ => -1,
    };

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
