using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// The template model of one message (field name → value, case-insensitive): the lead's fields with their fallbacks, then
/// the fallbacks of other names, then <c>Step</c>, <c>LeadId</c>, <c>UnsubscribeUrl</c> and <c>Attributes</c>.
/// </summary>
/// <remarks>
/// <see cref="Build"/> makes the model as a dictionary, which any renderer can read. A <see cref="LeadTemplateModel"/> is the
/// same model answering lookups one field at a time, for renderers known to do nothing but look fields up
/// (<see cref="PlaceholderTemplateRenderer"/>): a template that names three fields then costs three lookups, not a
/// dictionary of every field. Anything else it is asked (enumeration, count) is answered by the built dictionary.
/// </remarks>
internal sealed class LeadTemplateModel : IReadOnlyDictionary<string, object?>
{
    internal const int StepField = 12;
    internal const int LeadIdField = 13;
    internal const int UnsubscribeUrlField = 14;
    internal const int AttributesField = 15;

    private static readonly string[] FieldNames =
    [
        "FirstName", "LastName", "FullName", "Email", "Title", "CompanyName", "CompanyDomain", "Industry", "Country", "Owner",
        "Team", "Sequence", "Step", "LeadId", "UnsubscribeUrl", "Attributes",
    ];

    /// <summary>The index of every field name (ignoring case), as <see cref="TemplateFields"/> takes it.</summary>
    internal static readonly FrozenDictionary<string, int> FieldIndex =
        FieldNames.Select((name, index) => KeyValuePair.Create(name, index)).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly Lead _lead;
    private readonly string _to;
    private readonly RoutingDecision _routing;
    private readonly int _step;
    private readonly string _leadId;
    private readonly string _unsubscribeUrl;
    private readonly IDictionary<string, string> _fallbacks;
    private Dictionary<string, object?>? _built;

    public LeadTemplateModel(Lead lead, string to, RoutingDecision routing, int step, string leadId, string unsubscribeUrl, IDictionary<string, string> fallbacks)
    {
        _lead = lead;
        _to = to;
        _routing = routing;
        _step = step;
        _leadId = leadId;
        _unsubscribeUrl = unsubscribeUrl;
        _fallbacks = fallbacks;
    }

    public int Count => Built.Count;

    public IEnumerable<string> Keys => Built.Keys;

    public IEnumerable<object?> Values => Built.Values;

    private Dictionary<string, object?> Built => _built ??= Build(_lead, _to, _routing, _step, _leadId, _unsubscribeUrl, _fallbacks);

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The template model has no field '{key}'.");

    /// <summary>Builds the whole model as a dictionary, in its documented key order.</summary>
    public static Dictionary<string, object?> Build(
        Lead lead, string to, RoutingDecision routing, int step, string leadId, string unsubscribeUrl, IDictionary<string, string> fallbacks)
    {
        var model = new Dictionary<string, object?>(FieldNames.Length + fallbacks.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < StepField; i++)
        {
            model[FieldNames[i]] = LeadField(i, lead, to, routing, fallbacks);
        }

        if (fallbacks.Count > 0)
        {
            foreach (var (key, fallback) in fallbacks)
            {
                model.TryAdd(key, fallback);
            }
        }

        for (var i = StepField; i < FieldNames.Length; i++)
        {
            model[FieldNames[i]] = MessageField(i, lead, step, leadId, unsubscribeUrl);
        }

        return model;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (FieldIndex.TryGetValue(key, out var index))
        {
            value = index < StepField ? LeadField(index, _lead, _to, _routing, _fallbacks) : MessageField(index, _lead, _step, _leadId, _unsubscribeUrl);
            return true;
        }

        // Another name: the first fallback of that name (ignoring case), as the built dictionary keeps it.
        if (_fallbacks.Count > 0)
        {
            foreach (var (name, fallback) in _fallbacks)
            {
                if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
                {
                    value = fallback;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Built.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static string LeadField(int index, Lead lead, string to, RoutingDecision routing, IDictionary<string, string> fallbacks)
    {
        var value = RawLeadField(index, lead, to, routing);
        return string.IsNullOrWhiteSpace(value)
            ? (fallbacks.TryGetValue(FieldNames[index], out var fallback) ? fallback : string.Empty)
            : value.Trim();
    }

    /// <summary>Appends what <see cref="LeadField"/> returns, without making a trimmed copy of the value.</summary>
    internal static void AppendLeadField(StringBuilder sb, int index, Lead lead, string to, RoutingDecision routing, IDictionary<string, string> fallbacks)
    {
        var value = RawLeadField(index, lead, to, routing);
        if (string.IsNullOrWhiteSpace(value))
        {
            sb.Append(fallbacks.TryGetValue(FieldNames[index], out var fallback) ? fallback : string.Empty);
        }
        else
        {
            sb.Append(value.AsSpan().Trim());
        }
    }

    private static string? RawLeadField(int index, Lead lead, string to, RoutingDecision routing) => index switch
        {
            0 => lead.FirstName,
            1 => lead.LastName,
            2 => lead.FullName,
            3 => to,
            4 => lead.Title,
            5 => lead.CompanyName,
            6 => lead.CompanyDomain,
            7 => lead.Industry,
            8 => lead.Country,
            9 => routing.Owner,
            10 => routing.Team,
            _ => routing.Sequence,
        };

    internal static object MessageField(int index, Lead lead, int step, string leadId, string unsubscribeUrl) => index switch
    {
        StepField => step.ToString(CultureInfo.InvariantCulture),
        LeadIdField => leadId,
        UnsubscribeUrlField => unsubscribeUrl,
        _ => lead.HasAttributes ? new Dictionary<string, string>(lead.Attributes, StringComparer.OrdinalIgnoreCase) : new Dictionary<string, string>(),
    };
}
