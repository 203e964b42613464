namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>Creates the transport of one run.</summary>
internal interface IStageTransportFactory
{
    /// <summary>Creates the queues of a run.</summary>
    /// <param name="runtime">The run's runtime: its options, sources, stages and stores.</param>
    /// <param name="runId">The run.</param>
    /// <param name="campaignId">The run's campaign.</param>
    /// <param name="lostWrites">Counts leads pending at a lead stage (by index) whose write lost its compare-and-set on the way in.</param>
    IStageTransport Create(PipelineRuntime runtime, Guid runId, string campaignId, Action<int, int> lostWrites);
}
