namespace Aicmo.Sdk.Domain;

/// <summary>How a run ended (or that it is still running).</summary>
public enum PipelineRunStatus
{
    /// <summary>The run is in progress.</summary>
    Running,

    /// <summary>Every lead reached an outcome and nothing failed.</summary>
    Completed,

    /// <summary>The run finished, but a source failed or leads were quarantined.</summary>
    CompletedWithErrors,

    /// <summary>The run was cancelled; leads not finished are counted as pending.</summary>
    Cancelled,

    /// <summary>A fatal error stopped the run.</summary>
    Failed,
}
