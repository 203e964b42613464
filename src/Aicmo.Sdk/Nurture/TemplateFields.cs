using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// The fields of one message, read straight from the lead for a template compiled by <see cref="PlaceholderTemplateRenderer"/>:
/// the same values as <see cref="LeadTemplateModel"/>, appended to the rendering buffer with no model object, no lead-id or
/// unsubscribe-link string and no trimmed copies.
/// </summary>
internal readonly struct TemplateFields(Lead lead, string to, RoutingDecision routing, int step, UnsubscribeLink unsubscribe, IDictionary<string, string> fallbacks, DateTimeOffset now)
{
    /// <summary>Appends the field at <paramref name="index"/> (see <see cref="LeadTemplateModel.FieldIndex"/>).</summary>
    public void Append(StringBuilder sb, int index)
    {
        switch (index)
        {
            case < LeadTemplateModel.StepField:
                LeadTemplateModel.AppendLeadField(sb, index, lead, to, routing, fallbacks);
                break;
            case LeadTemplateModel.StepField:
                sb.Append(CultureInfo.InvariantCulture, $"{step}");
                break;
            case LeadTemplateModel.LeadIdField:
                sb.Append(CultureInfo.InvariantCulture, $"{lead.Id:N}");
                break;
            case LeadTemplateModel.UnsubscribeUrlField:
                AppendUnsubscribeUrl(sb);
                break;
            default:
                sb.Append(LeadTemplateModel.MessageField(index, lead, step, string.Empty, string.Empty));
                break;
        }
    }

    /// <summary>Appends a name that is not a field: its first fallback (ignoring case), or nothing.</summary>
    public void AppendOther(StringBuilder sb, string name)
    {
        if (fallbacks.Count == 0)
        {
            return;
        }

        foreach (var (key, fallback) in fallbacks)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                sb.Append(fallback);
                return;
            }
        }
    }

    /// <summary>Appends the lead's unsubscribe link.</summary>
    public void AppendUnsubscribeUrl(StringBuilder sb) => unsubscribe.Append(sb, lead, now);
}
