using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>A stage that does nothing: the lead stays in its state and moves on.</summary>
public sealed class NoOpStage(string name) : ILeadStage
{
    public string Name { get; } = name;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken) =>
        new(StageResult.Continue());
}

/// <summary>
/// The last of the no-op stages. A lead must leave the runner in an outcome state (otherwise it is quarantined as a bug), so
/// this stage returns a cached "disqualified" result; the runner applies it (one transition, one audit event).
/// </summary>
public sealed class OutcomeStage(string name) : ILeadStage
{
    private static readonly StageResult Outcome = StageResult.MoveTo(LeadStatus.Disqualified, "benchmark outcome");

    public string Name { get; } = name;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken) => new(Outcome);
}

/// <summary>The five stages every runner-overhead contender runs: four no-op stages and the outcome stage.</summary>
public static class NoOpStages
{
    public static ILeadStage[] Create() =>
    [
        new NoOpStage("noop1"), new NoOpStage("noop2"), new NoOpStage("noop3"), new NoOpStage("noop4"), new OutcomeStage("noop5"),
    ];
}
