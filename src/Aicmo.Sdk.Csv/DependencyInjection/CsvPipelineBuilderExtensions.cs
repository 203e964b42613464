using Aicmo.Sdk.Csv.Import;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds CSV lead sources to the pipeline.</summary>
public static class CsvPipelineBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="CsvLeadSource"/> over the file at <paramref name="path"/>. Several may be added. Its options are
    /// validated when the host starts; a failure names the option.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file to read.</param>
    /// <param name="configure">Configures the options (bind them from configuration here, if wanted).</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddCsvLeadSource(this IAicmoPipelineBuilder builder, string path, Action<CsvLeadSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        // Each source gets its own named options, so two files never share a mapping.
        var name = $"csv/{Guid.NewGuid():N}";
        builder.Services.AddOptionsWithValidateOnStart<CsvLeadSourceOptions>(name).Configure(o =>
        {
            o.Path = path;
            configure?.Invoke(o);
        });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CsvLeadSourceOptions>, CsvLeadSourceOptionsValidator>());
        builder.Services.AddSingleton<ILeadSource>(sp => new CsvLeadSource(sp.GetRequiredService<IOptionsMonitor<CsvLeadSourceOptions>>().Get(name)));
        return builder;
    }
}
