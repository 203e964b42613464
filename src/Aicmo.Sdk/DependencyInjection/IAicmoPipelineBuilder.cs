namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the lead pipeline registered by <see cref="AicmoServiceCollectionExtensions.AddAicmoPipeline"/>.</summary>
/// <remarks>Everything beyond <see cref="Name"/> and <see cref="Services"/> is an extension method, so adapter packages add their own.</remarks>
public interface IAicmoPipelineBuilder
{
    /// <summary>Gets the pipeline's name (the name of its options).</summary>
    string Name { get; }

    /// <summary>Gets the service collection the pipeline is registered in.</summary>
    IServiceCollection Services { get; }
}
