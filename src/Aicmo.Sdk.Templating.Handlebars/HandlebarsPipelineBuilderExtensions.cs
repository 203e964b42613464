using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Templating.Handlebars;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Handlebars templates to the lead pipeline.</summary>
public static class HandlebarsPipelineBuilderExtensions
{
    /// <summary>Renders nurture subjects and bodies with Handlebars instead of the core's plain placeholders.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Registers extra helpers or partials on the Handlebars environment.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UseHandlebarsTemplates(this IAicmoPipelineBuilder builder, Action<HandlebarsDotNet.IHandlebars>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<ITemplateRenderer>();
        builder.Services.AddSingleton<ITemplateRenderer>(new HandlebarsTemplateRenderer(configure));
        return builder;
    }
}
