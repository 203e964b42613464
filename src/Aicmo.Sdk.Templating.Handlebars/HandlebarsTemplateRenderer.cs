using Aicmo.Sdk.Nurture;
using HandlebarsDotNet;

namespace Aicmo.Sdk.Templating.Handlebars;

/// <summary>
/// An <see cref="ITemplateRenderer"/> backed by Handlebars.Net: conditionals (<c>{{#if Title}}</c>), loops, nested fields
/// (<c>{{Attributes.plan}}</c>) and helpers in subjects and bodies. Output is not HTML-escaped, because nurture emails are
/// plain text. Adds the helper <c>{{default Field "fallback"}}</c> for per-template fallbacks.
/// </summary>
/// <remarks>Thread-safe: templates are compiled once and the compiled delegates are shared.</remarks>
public sealed class HandlebarsTemplateRenderer : ITemplateRenderer
{
    private readonly IHandlebars _handlebars;

    /// <summary>Initializes a new instance of the <see cref="HandlebarsTemplateRenderer"/> class.</summary>
    /// <param name="configure">Registers extra helpers or partials on the Handlebars environment.</param>
    public HandlebarsTemplateRenderer(Action<IHandlebars>? configure = null)
    {
        // No text encoder: plain-text mail must show "O'Brien & Co", not HTML entities.
        _handlebars = HandlebarsDotNet.Handlebars.Create(new HandlebarsConfiguration { TextEncoder = null });
        _handlebars.RegisterHelper("default", static (context, arguments) =>
        {
            var value = arguments.Length > 0 ? arguments[0] : null;
            var fallback = arguments.Length > 1 ? arguments[1] : null;
            return value is null || (value is string s && string.IsNullOrWhiteSpace(s)) || value is UndefinedBindingResult ? fallback : value;
        });
        configure?.Invoke(_handlebars);
    }

    /// <inheritdoc />
    public Func<IReadOnlyDictionary<string, object?>, string> Compile(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        HandlebarsTemplate<object, object> compiled;
        try
        {
            compiled = _handlebars.Compile(template);
        }
        catch (HandlebarsException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        return model => compiled(model);
    }
}
