using System.Globalization;
using System.Text.Json;

namespace Aicmo.Sdk.Http.Internal;

/// <summary>A dotted path into a JSON value with array indexes: <c>organization.name</c>, <c>phone_numbers[0].number</c>, <c>$.data</c>.</summary>
internal sealed class JsonPath
{
    private readonly (string? Property, int Index)[] _steps;

    private JsonPath(string text, (string?, int)[] steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    public static bool TryParse(string text, out JsonPath path)
    {
        var steps = new List<(string?, int)>();
        var rest = text.Trim();
        if (rest.StartsWith('$'))
        {
            rest = rest[1..].TrimStart('.');
        }

        foreach (var part in rest.Split('.', StringSplitOptions.None))
        {
            if (part.Length == 0)
            {
                if (rest.Length == 0)
                {
                    break;
                }

                path = null!;
                return false;
            }

            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length > 0)
            {
                steps.Add((name, -1));
            }

            for (var i = bracket; i >= 0; i = part.IndexOf('[', i + 1))
            {
                var close = part.IndexOf(']', i);
                if (close < 0 || !int.TryParse(part.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    path = null!;
                    return false;
                }

                steps.Add((null, index));
            }
        }

        path = new JsonPath(text, [.. steps]);
        return true;
    }

    public static JsonPath Parse(string text) => TryParse(text, out var path) ? path : throw new FormatException($"\"{text}\" is not a JSON path.");

    public bool TryGet(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var (property, index) in _steps)
        {
            if (property is not null)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(property, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind != JsonValueKind.Array || index >= value.GetArrayLength())
            {
                return false;
            }
            else
            {
                value = value[index];
            }
        }

        return true;
    }

    /// <summary>Reads a scalar as text: a string as it is, a number or a boolean as written; null, missing, objects and arrays give <see langword="null"/>.</summary>
    /// <param name="root">The value to start from.</param>
    /// <returns>The text.</returns>
    public string? GetText(JsonElement root) => TryGet(root, out var value) ? value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    } : null;
}
