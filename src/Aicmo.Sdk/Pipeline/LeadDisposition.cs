namespace Aicmo.Sdk.Pipeline;

/// <summary>What happens to a lead after one stage.</summary>
internal enum LeadDisposition
{
    /// <summary>The lead goes on to the next stage.</summary>
    Continue,

    /// <summary>The lead reached an outcome and leaves the pipeline.</summary>
    Finished,

    /// <summary>The run is stopping; the lead stays where it is, to be resumed later.</summary>
    Pending,
}
