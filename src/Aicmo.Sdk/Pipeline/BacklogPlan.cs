using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Where a backlog run's leads enter: the pipeline's stages it runs (<see cref="First"/>, <see cref="Count"/>), the state its first
/// stage takes leads in (<see cref="Entry"/>), and, for the leads a resumed backlog run left part-way, which of its stages comes
/// next for each state (<see cref="StageFor"/>, indices within the backlog's stages).
/// </summary>
internal sealed record BacklogPlan(int First, int Count, LeadStatus Entry, IReadOnlyDictionary<LeadStatus, int> StageFor, LeadStatus[] States)
{
    /// <summary>Checks a selection against the pipeline's stages and plans it.</summary>
    /// <param name="selection">The stages and states asked for.</param>
    /// <param name="stageNames">The pipeline's stages after dedup, in order.</param>
    /// <exception cref="ArgumentException">A stage is unknown, the stages are not consecutive, or a state cannot enter at the first stage.</exception>
    public static BacklogPlan Create(BacklogSelection selection, IReadOnlyList<string> stageNames)
    {
        const string StagesField = "Backlog.Stages";
        var indices = new List<int>(selection.Stages.Count);
        foreach (var name in selection.Stages)
        {
            var index = -1;
            for (var i = 0; i < stageNames.Count; i++)
            {
                if (string.Equals(stageNames[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    index = i;
                }
            }

            if (index < 0)
            {
                throw new ArgumentException($"Backlog.Stages names '{name}', which is not a stage of this pipeline. Stages: {string.Join(", ", stageNames)}.", StagesField);
            }

            indices.Add(index);
        }

        indices.Sort();
        var first = indices[0];
        for (var i = 1; i < indices.Count; i++)
        {
            if (indices[i] != first + i)
            {
                throw new ArgumentException(
                    $"Backlog.Stages must be consecutive stages of the pipeline ({string.Join(", ", stageNames)}); '{stageNames[indices[i - 1]]}' and '{stageNames[indices[i]]}' are not, or a stage is named twice.",
                    StagesField);
            }
        }

        var inputs = InputStates(stageNames);
        var entry = inputs[first];
        var states = selection.States.Distinct().ToArray();
        foreach (var state in states)
        {
            if (!LeadStateMachine.CanReenter(state, entry))
            {
                throw new ArgumentException(
                    $"Backlog.States holds {state}, but '{stageNames[first]}' takes leads in {entry}, and a lead in {state} cannot go back there (a routed or contacted lead never goes back; a lead never skips a stage).",
                    "Backlog.States");
            }
        }

        var stageFor = new Dictionary<LeadStatus, int>();
        for (var i = 0; i < indices.Count; i++)
        {
            stageFor.TryAdd(inputs[first + i], i);
        }

        return new BacklogPlan(first, indices.Count, entry, stageFor, states);
    }

    // The state a lead is in when it reaches each stage in a full run: a stage takes what the built-in stage before it leaves.
    private static LeadStatus[] InputStates(IReadOnlyList<string> stageNames)
    {
        var inputs = new LeadStatus[stageNames.Count];
        var state = LeadStatus.New;
        for (var i = 0; i < stageNames.Count; i++)
        {
            inputs[i] = state;
            state = stageNames[i] switch
            {
                StageNames.Enrich => LeadStatus.Enriched,
                StageNames.Score => LeadStatus.Scored,
                StageNames.Qualify => LeadStatus.Qualified,
                StageNames.Route or StageNames.Nurture => LeadStatus.Routed,
                _ => state,
            };
        }

        return inputs;
    }
}
