using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Removes an erased person's error messages from the event buffers of the pipeline's running runs.</summary>
internal sealed class PipelineEventRedactor(ILeadPipeline pipeline) : IPersonalDataHolder
{
    public ValueTask ForgetAsync(PersonalDataErasure erasure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        if (pipeline is LeadPipeline own)
        {
            own.RedactEvents(erasure.LeadIds);
        }

        return ValueTask.CompletedTask;
    }
}
