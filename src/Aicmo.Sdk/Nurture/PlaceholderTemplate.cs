using System.Text;

namespace Aicmo.Sdk.Nurture;

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
