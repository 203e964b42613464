using Aicmo.Sdk.Pipeline;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.DependencyInjection;

/// <summary>
/// Where the options of type <typeparamref name="TOptions"/> live inside <see cref="AicmoPipelineOptions"/>, and their validation:
/// a failure names the option by its path in the pipeline's options (<c>AicmoPipelineOptions.Scoring.GradeA</c>), which is
/// where the host set it.
/// </summary>
/// <typeparam name="TOptions">The section's options type.</typeparam>
/// <param name="Path">The section's path, for example <c>AicmoPipelineOptions.Scoring</c>.</param>
/// <param name="Select">Reads the section from the pipeline's options.</param>
/// <param name="Check">Validates the section; returns one message per failure, each starting with the path given.</param>
internal sealed record PipelineSection<TOptions>(
    string Path, Func<AicmoPipelineOptions, TOptions> Select, Func<TOptions, string, IReadOnlyList<string>> Check)
    : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <summary>
    /// Gets the same check of the section, as part of the pipeline's options: reading <see cref="AicmoPipelineOptions"/> (as the
    /// pipeline does first) then fails on a bad engine option before anything else is resolved.
    /// </summary>
    public IValidateOptions<AicmoPipelineOptions> AsPartOfPipeline => new PartOfPipeline(this);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options, Path);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private sealed class PartOfPipeline(PipelineSection<TOptions> section) : IValidateOptions<AicmoPipelineOptions>
    {
        public ValidateOptionsResult Validate(string? name, AicmoPipelineOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            return section.Validate(name, section.Select(options));
        }
    }
}
