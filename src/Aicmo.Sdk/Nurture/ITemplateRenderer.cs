using System.Text;

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

/// <summary>
/// The default <see cref="ITemplateRenderer"/>: replaces <c>{{Name}}</c> (and <c>{{ Name }}</c>) with the model's value, nothing
/// more. Values are inserted as they are (no HTML escaping: nurture emails are plain text). Unknown names render empty.
/// </summary>
public sealed class PlaceholderTemplateRenderer : ITemplateRenderer
{
    /// <summary>Gets the shared instance.</summary>
    public static PlaceholderTemplateRenderer Instance { get; } = new();

    /// <inheritdoc />
    public Func<IReadOnlyDictionary<string, object?>, string> Compile(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var parts = new List<(bool IsField, string Text)>();
        var rest = template.AsSpan();
        var offset = 0;
        while (true)
        {
            var open = rest.IndexOf("{{", StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add((false, rest.ToString()));
                break;
            }

            var close = rest[(open + 2)..].IndexOf("}}", StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"The placeholder opened at position {offset + open} is never closed with '}}}}'.");
            }

            parts.Add((false, rest[..open].ToString()));
            var name = rest.Slice(open + 2, close).Trim().ToString();
            if (name.Length == 0 || name.AsSpan().IndexOfAny("{}#/ ") >= 0)
            {
                throw new FormatException($"'{{{{{name}}}}}' at position {offset + open} is not a plain field name; use the Handlebars renderer for blocks and helpers.");
            }

            parts.Add((true, name));
            var consumed = open + 2 + close + 2;
            offset += consumed;
            rest = rest[consumed..];
        }

        return new PlaceholderTemplate(parts.Where(p => p.IsField || p.Text.Length > 0).ToArray(), template.Length).Render;
    }
}

/// <summary>A template compiled by <see cref="PlaceholderTemplateRenderer"/>: literal text and field names, in order.</summary>
internal sealed class PlaceholderTemplate((bool IsField, string Text)[] parts, int templateLength)
{
    /// <summary>Renders the template for a model.</summary>
    public string Render(IReadOnlyDictionary<string, object?> model) => Render(model, null, null);

    /// <summary>Renders the template for a model, followed by two more pieces of text (either may be null).</summary>
    public string Render(IReadOnlyDictionary<string, object?> model, string? then, string? last)
    {
        var sb = t_builder ?? new StringBuilder(templateLength + 64);
        t_builder = null;
        sb.Clear();
        foreach (var (isField, text) in parts)
        {
            if (!isField)
            {
                sb.Append(text);
            }
            else if (model.TryGetValue(text, out var value) && value is not null)
            {
                sb.Append(value);
            }
        }

        var rendered = sb.Append(then).Append(last).ToString();
        if (sb.Capacity <= MaxCachedBuilderCapacity)
        {
            t_builder = sb;
        }

        return rendered;
    }

    // One builder per thread, reused from one rendering to the next (every lead renders a subject and a body).
    private const int MaxCachedBuilderCapacity = 16 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_builder;
}
