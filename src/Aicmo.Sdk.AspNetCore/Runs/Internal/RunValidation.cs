using System.Globalization;
using Aicmo.Sdk.AspNetCore.Internal;

namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>The limits of a run start; every violation is reported under its field.</summary>
internal static class RunValidation
{
    public const string Full = "full";
    public const string Harvest = "harvest";
    public const int MaxParameters = 32;
    public const int MaxParameterValue = 1024;

    public static Dictionary<string, string[]> Validate(RunRequest request, AicmoApiOptions options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        switch (request.Kind)
        {
            case null or Full:
                break;
            case Harvest:
                errors["kind"] = ["Harvest-only runs are not offered by this pipeline's runner yet; use 'full'."];
                break;
            default:
                errors["kind"] = ["'full' (or 'harvest', not offered yet)."];
                break;
        }

        if (request.MaxLeads is { } max && (max < 1 || max > options.MaxLeadsPerRunLimit))
        {
            errors["maxLeads"] = [string.Create(CultureInfo.InvariantCulture, $"Between 1 and {options.MaxLeadsPerRunLimit}.")];
        }

        if (request.DryRun == true)
        {
            errors["dryRun"] = ["A dry run is set for the whole pipeline (AicmoPipelineOptions.DryRun), not per run."];
        }

        if (request.Parameters is { } parameters)
        {
            if (parameters.Count > MaxParameters)
            {
                errors["parameters"] = [$"At most {MaxParameters} parameters."];
            }
            else
            {
                foreach (var (key, value) in parameters)
                {
                    if (!TextRules.IsValidId(key))
                    {
                        errors["parameters"] = ["Parameter names are lower-case letters, digits, '-' and '_', at most 64 characters."];
                    }
                    else if (TextRules.Check(value, MaxParameterValue, required: true) is { } problem)
                    {
                        errors["parameters." + key] = [problem];
                    }
                }

                if (errors.Count == 0 && parameters.Count > 0)
                {
                    errors["parameters"] = ["No stage of this pipeline takes run parameters."];
                }
            }
        }

        return errors;
    }
}
