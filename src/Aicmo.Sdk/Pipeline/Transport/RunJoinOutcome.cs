namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>What <see cref="ILeadBatchRunJoiner.JoinAsync"/> did.</summary>
public enum RunJoinOutcome
{
    /// <summary>The run's stages are open in this process (joined now, or before).</summary>
    Joined,

    /// <summary>The run is in this process already, as the run that started it; its stages are being opened or closed.</summary>
    Started,

    /// <summary>The run has ended (completed, failed, cancelled or was taken over): its batches are not worked on any more.</summary>
    NotRunning,

    /// <summary>The shared store has no record of the run.</summary>
    Unknown,

    /// <summary>The run cannot be worked on by this process: a dry run, or a kind or stage list this pipeline does not have.</summary>
    NotJoinable,
}
