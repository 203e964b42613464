namespace Aicmo.Sdk.Nurture;

/// <summary>
/// Turns a subject or body template into text for one lead. The core ships <see cref="PlaceholderTemplateRenderer"/>
/// (plain <c>{{Name}}</c> placeholders); <c>Aicmo.Sdk.Templating.Handlebars</c> adds full Handlebars templates.
/// </summary>
/// <remarks>Implementations must be thread-safe. Templates are compiled once, when the nurturer is created.</remarks>
public interface ITemplateRenderer
{
    /// <summary>Compiles a template.</summary>
    /// <param name="template">The template text.</param>
    /// <returns>A thread-safe function that renders the template for a model (field name → value, case-insensitive).</returns>
    /// <exception cref="FormatException">The template is malformed; the message says where.</exception>
    Func<IReadOnlyDictionary<string, object?>, string> Compile(string template);
}
