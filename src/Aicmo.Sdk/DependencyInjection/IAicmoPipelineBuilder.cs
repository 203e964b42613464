namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the lead pipeline registered by <see cref="AicmoServiceCollectionExtensions.AddAicmoPipeline"/>.</summary>
/// <remarks>
/// Everything beyond <see cref="Services"/> is an extension method, so adapter packages add their own. A host runs one pipeline
/// (one <see cref="Aicmo.Sdk.Pipeline.ILeadPipeline"/>, one set of stores), so the builder has no name: campaigns, not named
/// pipelines, separate the work of one host.
/// </remarks>
public interface IAicmoPipelineBuilder
{
    /// <summary>Gets the service collection the pipeline is registered in.</summary>
    IServiceCollection Services { get; }
}
