namespace Aicmo.Sdk.Nurture;

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
