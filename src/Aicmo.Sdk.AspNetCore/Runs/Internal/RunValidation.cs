using System.Globalization;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>The limits of a run start; every violation is reported under its field.</summary>
internal static class RunValidation
{
    /// <summary>The whole pipeline, harvest through nurture.</summary>
    public const string Full = "full-pipeline";

    /// <summary>The first name of <see cref="Full"/>, still accepted.</summary>
    public const string FullShort = "full";

    /// <summary>Harvest and dedup only: the new leads are stored in <c>New</c> for a later run.</summary>
    public const string Harvest = "harvest";

    public static Dictionary<string, string[]> Validate(RunRequest request, AicmoApiOptions options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Kind is not (null or Full or FullShort or Harvest))
        {
            errors["kind"] = ["'full-pipeline' or 'harvest'."];
        }

        if (request.MaxLeads is { } max && (max < 1 || max > options.MaxLeadsPerRunLimit))
        {
            errors["maxLeads"] = [string.Create(CultureInfo.InvariantCulture, $"Between 1 and {options.MaxLeadsPerRunLimit}.")];
        }

        if (request.Parameters is { } parameters)
        {
            if (parameters.Count > PipelineRunRequest.MaxParameterCount)
            {
                errors["parameters"] = [$"At most {PipelineRunRequest.MaxParameterCount} parameters."];
            }
            else
            {
                foreach (var (key, value) in parameters)
                {
                    if (!IsValidKey(key))
                    {
                        errors["parameters"] = [$"Parameter names are 1 to {PipelineRunRequest.MaxParameterKeyLength} ASCII letters, digits, '.', '_' and '-', starting with a letter."];
                    }
                    else if (TextRules.Check(value, PipelineRunRequest.MaxParameterValueLength) is { } problem)
                    {
                        errors["parameters." + key] = [problem];
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>The runner's kind for an API kind (validated).</summary>
    public static PipelineRunKind KindOf(string? kind) => kind == Harvest ? PipelineRunKind.HarvestOnly : PipelineRunKind.Full;

    /// <summary>The API's name of a runner kind.</summary>
    public static string NameOf(PipelineRunKind kind) => kind switch
    {
        PipelineRunKind.HarvestOnly => Harvest,
        PipelineRunKind.Backlog => "backlog",
        _ => Full,
    };

    private static bool IsValidKey(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > PipelineRunRequest.MaxParameterKeyLength || !char.IsAsciiLetter(key[0]))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
