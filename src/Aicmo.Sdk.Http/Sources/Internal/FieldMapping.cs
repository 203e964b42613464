using System.Globalization;
using System.Text.Json;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Http.Internal;

namespace Aicmo.Sdk.Http.Sources.Internal;

/// <summary>The resolved <see cref="HttpLeadSourceOptions.Fields"/>: each target with its JSON path.</summary>
internal sealed class FieldMapping
{
    private const string AttributePrefix = "attribute:";
    private static readonly string[] Targets = ["externalid", "firstname", "lastname", "email", "title", "phone", "timezone", "companyname", "companydomain", "industry", "companysize", "country", "annualrevenue"];
    private readonly (string Target, string Key, JsonPath Path)[] _fields;

    public FieldMapping(IDictionary<string, string> fields)
    {
        _fields = [.. fields.Select(f => (f.Key, Normalize(f.Key), JsonPath.Parse(f.Value)))];
    }

    public static bool IsValidTarget(string target) =>
        target.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase) ? target.Length > AttributePrefix.Length : Targets.Contains(Normalize(target));

    /// <summary>Maps one record.</summary>
    /// <param name="record">The record.</param>
    /// <param name="position">Its position.</param>
    /// <returns>The candidate, or a rejected one with the reason.</returns>
    public LeadCandidate Map(JsonElement record, string position)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return Reject(position, $"the record is a JSON {record.ValueKind.ToString().ToLowerInvariant()}, not an object");
        }

        var c = new LeadCandidate { SourcePosition = position };
        foreach (var (target, key, path) in _fields)
        {
            if (path.GetText(record) is not { } value)
            {
                continue;
            }

            var refused = Aicmo.Sdk.Domain.TextPolicy.IndexOfForbidden(value);
            if (refused >= 0)
            {
                return Reject(position, $"field \"{target}\" ({path.Text}) contains a control character ({Aicmo.Sdk.Domain.TextPolicy.Describe(value[refused])})");
            }

            Set(c, key, target, value);
        }

        return c;
    }

    private static void Set(LeadCandidate c, string key, string target, string value)
    {
        switch (key)
        {
            case "externalid": c.ExternalId = value; break;
            case "firstname": c.FirstName = value; break;
            case "lastname": c.LastName = value; break;
            case "email": c.Email = value; break;
            case "title": c.Title = value; break;
            case "phone": c.Phone = value; break;
            case "timezone": c.TimeZone = value; break;
            case "companyname": c.CompanyName = value; break;
            case "companydomain": c.CompanyDomain = value; break;
            case "industry": c.Industry = value; break;
            case "country": c.Country = value; break;
            case "companysize" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size):
                c.CompanySize = size;
                break;
            case "annualrevenue" when decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var revenue):
                c.AnnualRevenue = revenue;
                break;
            default:
                var name = target.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase) ? target[AttributePrefix.Length..] : target;
                (c.Attributes ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase))[name] = value;
                break;
        }
    }

    private static LeadCandidate Reject(string position, string reason) => new() { SourcePosition = position, RejectionReason = position + ": " + reason };

    private static string Normalize(string target) => target.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase)
        ? target
        : new string([.. target.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
}
