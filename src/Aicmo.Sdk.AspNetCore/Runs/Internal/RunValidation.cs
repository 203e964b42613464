using System.Globalization;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.Domain;
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

    /// <summary>Chosen stages over stored leads in chosen states (<see cref="RunRequest.Backlog"/>).</summary>
    public const string Backlog = "backlog";

    /// <summary>The most stages a backlog names; more than a pipeline has.</summary>
    public const int MaxBacklogStages = 32;

    private const int MaxStageNameLength = 64;

    private static readonly string[] LeadStates = Enum.GetNames<LeadStatus>();

    public static Dictionary<string, string[]> Validate(RunRequest request, AicmoApiOptions options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Kind is not (null or Full or FullShort or Harvest or Backlog))
        {
            errors["kind"] = ["'full-pipeline', 'harvest' or 'backlog'."];
        }
        else if (request.Kind == Backlog)
        {
            ValidateBacklog(request.Backlog, errors);
        }
        else if (request.Backlog is not null)
        {
            errors["backlog"] = ["Only for a run of kind 'backlog'."];
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
    public static PipelineRunKind KindOf(string? kind) => kind switch
    {
        Harvest => PipelineRunKind.HarvestOnly,
        Backlog => PipelineRunKind.Backlog,
        _ => PipelineRunKind.Full,
    };

    /// <summary>The runner's selection for a validated backlog request.</summary>
    public static BacklogSelection? SelectionOf(BacklogRequest? backlog) => backlog is null ? null : new BacklogSelection
    {
        Stages = [.. backlog.Stages!],
        States = [.. backlog.States!.Select(static s => Enum.Parse<LeadStatus>(s, ignoreCase: true))],
    };

    /// <summary>The API's name of a runner kind.</summary>
    public static string NameOf(PipelineRunKind kind) => kind switch
    {
        PipelineRunKind.HarvestOnly => Harvest,
        PipelineRunKind.Backlog => Backlog,
        _ => Full,
    };

    private static void ValidateBacklog(BacklogRequest? backlog, Dictionary<string, string[]> errors)
    {
        if (backlog is null)
        {
            errors["backlog"] = ["Required for a backlog run: the stages to run and the states of the leads to take."];
            return;
        }

        var stages = backlog.Stages ?? [];
        if (stages.Count is 0 or > MaxBacklogStages)
        {
            errors["backlog.stages"] = [string.Create(CultureInfo.InvariantCulture, $"From 1 to {MaxBacklogStages} stage names, consecutive in pipeline order, for example [\"score\", \"qualify\"].")];
        }
        else if (stages.Any(static s => !IsValidName(s, MaxStageNameLength)))
        {
            errors["backlog.stages"] = [$"Stage names are 1 to {MaxStageNameLength} ASCII letters, digits, '.', '_' and '-', starting with a letter."];
        }

        var states = backlog.States ?? [];
        if (states.Count == 0 || states.Count > LeadStates.Length)
        {
            errors["backlog.states"] = [$"From 1 to {LeadStates.Length} lead states: {string.Join(", ", LeadStates)}."];
        }
        else if (states.Any(static s => s is null || !LeadStates.Contains(s, StringComparer.OrdinalIgnoreCase)))
        {
            errors["backlog.states"] = [$"Lead states are {string.Join(", ", LeadStates)}."];
        }
    }

    private static bool IsValidKey(string? key) => IsValidName(key, PipelineRunRequest.MaxParameterKeyLength);

    private static bool IsValidName(string? key, int maxLength)
    {
        if (string.IsNullOrEmpty(key) || key.Length > maxLength || !char.IsAsciiLetter(key[0]))
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
