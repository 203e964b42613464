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
internal sealed class PlaceholderTemplate
{
    // The field of a part: a literal, a name that is not a field of the message (looked up among the fallbacks), or the index
    // of a field (resolved once here rather than looked up for every lead).
    private const int Literal = -2;
    private const int OtherName = -1;

    private readonly (bool IsField, string Text)[] _parts;
    private readonly int[] _fields;
    private readonly int _templateLength;

    public PlaceholderTemplate((bool IsField, string Text)[] parts, int templateLength)
    {
        _parts = parts;
        _templateLength = templateLength;
        _fields = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            _fields[i] = !parts[i].IsField ? Literal
                : LeadTemplateModel.FieldIndex.TryGetValue(parts[i].Text, out var index) ? index
                : OtherName;
        }
    }

    /// <summary>Renders the template for a model.</summary>
    public string Render(IReadOnlyDictionary<string, object?> model)
    {
        var sb = Acquire();
        foreach (var (isField, text) in _parts)
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

        return Release(sb);
    }

    /// <summary>
    /// Renders the template for one message, reading the fields from the lead (the same values as the model of the message),
    /// and then, when <paramref name="appendUnsubscribe"/> is set, <paramref name="separator"/> and the unsubscribe link.
    /// </summary>
    public string Render(in TemplateFields fields, bool appendUnsubscribe, string? separator)
    {
        var sb = Acquire();
        for (var i = 0; i < _parts.Length; i++)
        {
            switch (_fields[i])
            {
                case Literal:
                    sb.Append(_parts[i].Text);
                    break;
                case OtherName:
                    fields.AppendOther(sb, _parts[i].Text);
                    break;
                default:
                    fields.Append(sb, _fields[i]);
                    break;
            }
        }

        if (appendUnsubscribe)
        {
            sb.Append(separator);
            fields.AppendUnsubscribeUrl(sb);
        }

        return Release(sb);
    }

    private StringBuilder Acquire()
    {
        var sb = t_builder ?? new StringBuilder(_templateLength + 64);
        t_builder = null;
        return sb.Clear();
    }

    private static string Release(StringBuilder sb)
    {
        var rendered = sb.ToString();
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
