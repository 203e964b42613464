using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Removes an erased person's error messages from the events retained by the pipeline's runs.</summary>
internal sealed class PipelineEventRedactor(LiveRuns runs) : IPersonalDataHolder
{
    public ValueTask ForgetAsync(PersonalDataErasure erasure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        runs.RedactEvents(erasure.LeadIds, LeadEraser.Redacted);
        return ValueTask.CompletedTask;
    }
}
