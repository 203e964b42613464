using Aicmo.Sdk.Pipeline;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.DependencyInjection;

/// <summary>
/// Creates the options of one engine (or store concern) as the section of <see cref="AicmoPipelineOptions"/> that holds them,
/// then applies what was registered for the section's own type (<c>services.Configure&lt;RuleBasedScorerOptions&gt;(...)</c>)
/// and its validators. So one configuration section (or one <c>AddAicmoPipeline(o =&gt; ...)</c>) sets every engine, while each
/// engine takes and validates only <see cref="IOptions{TOptions}"/> of its own type.
/// </summary>
/// <typeparam name="TOptions">The section's options type.</typeparam>
internal sealed class PipelineSectionOptionsFactory<TOptions> : OptionsFactory<TOptions>
    where TOptions : class
{
    private readonly IOptions<AicmoPipelineOptions> _pipeline;
    private readonly IOptionsMonitor<AicmoPipelineOptions> _namedPipelines;
    private readonly PipelineSection<TOptions> _section;

    public PipelineSectionOptionsFactory(
        IOptions<AicmoPipelineOptions> pipeline,
        IOptionsMonitor<AicmoPipelineOptions> namedPipelines,
        PipelineSection<TOptions> section,
        IEnumerable<IConfigureOptions<TOptions>> setups,
        IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
        IEnumerable<IValidateOptions<TOptions>> validations)
        : base(setups, postConfigures, validations)
    {
        _pipeline = pipeline;
        _namedPipelines = namedPipelines;
        _section = section;
    }

    /// <inheritdoc />
    protected override TOptions CreateInstance(string name) =>
        _section.Select(name == Options.DefaultName ? _pipeline.Value : _namedPipelines.Get(name));
}
