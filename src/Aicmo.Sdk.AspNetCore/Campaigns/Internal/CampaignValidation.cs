using System.Globalization;
using Aicmo.Sdk.AspNetCore.Internal;

namespace Aicmo.Sdk.AspNetCore.Campaigns.Internal;

/// <summary>The field rules of a campaign body; every violation is reported under its field's JSON path.</summary>
internal static class CampaignValidation
{
    public const int MaxName = 200;
    public const int MaxDescription = 2000;
    public const int MaxSources = 32;

    public static Dictionary<string, string[]> Validate(CampaignRequest request, AicmoApiOptions options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Id is not null && !TextRules.IsValidId(request.Id))
        {
            Add("id", $"Lower-case letters, digits, '-' and '_', starting with a letter or digit, at most {TextRules.MaxIdLength} characters.");
        }

        Text("name", request.Name, MaxName, required: true);
        Text("description", request.Description, MaxDescription);
        Text("targetNiche", request.TargetNiche, MaxName);
        if (request.ServiceKey is not null && !TextRules.IsValidId(request.ServiceKey))
        {
            Add("serviceKey", "Lower-case letters, digits, '-' and '_', at most 64 characters.");
        }

        if (request.TargetClients is < 0 or > 1_000_000)
        {
            Add("targetClients", "Between 0 and 1,000,000.");
        }

        if (request.TargetMonthlyRevenue is < 0 or > 1_000_000_000_000m)
        {
            Add("targetMonthlyRevenue", "Between 0 and 1,000,000,000,000.");
        }

        if (request.Settings is { } settings)
        {
            if (settings.MaxLeadsPerRun is { } max && (max < 1 || max > options.MaxLeadsPerRunLimit))
            {
                Add("settings.maxLeadsPerRun", string.Create(CultureInfo.InvariantCulture, $"Between 1 and {options.MaxLeadsPerRunLimit}."));
            }

            if (settings.Sources is { } sources)
            {
                if (sources.Count > MaxSources)
                {
                    Add("settings.sources", $"At most {MaxSources} sources.");
                }

                for (var i = 0; i < Math.Min(sources.Count, MaxSources); i++)
                {
                    Text(string.Create(CultureInfo.InvariantCulture, $"settings.sources[{i}]"), sources[i], 100, required: true);
                }
            }

            Text("settings.sequence", settings.Sequence, 100);
        }

        return errors;

        void Text(string field, string? value, int max, bool required = false)
        {
            if (TextRules.Check(value, max, required, spreadsheetCell: true) is { } problem)
            {
                Add(field, problem);
            }
        }

        void Add(string field, string message) => errors[field] = [message];
    }
}
