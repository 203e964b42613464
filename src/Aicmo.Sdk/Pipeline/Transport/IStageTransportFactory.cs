namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>Creates the transport of one run.</summary>
internal interface IStageTransportFactory
{
    /// <summary>Creates the queues of a run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="sourceCount">The number of sources publishing candidates.</param>
    /// <param name="stageNames">The lead stages after dedup, in order.</param>
    /// <param name="options">The pipeline's options (capacities, batch size, parallelism per stage).</param>
    IStageTransport Create(Guid runId, int sourceCount, IReadOnlyList<string> stageNames, AicmoPipelineOptions options);
}
