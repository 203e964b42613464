using System.Collections.Frozen;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Checks a <see cref="PipelineRunRequest"/>; each failure is an <see cref="ArgumentException"/> whose parameter name is the field.</summary>
internal static class RunRequestValidation
{
    public static readonly FrozenDictionary<string, string> NoParameters = FrozenDictionary<string, string>.Empty;

    public static void Validate(PipelineRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.CampaignId))
        {
            throw new ArgumentException("CampaignId is required.", nameof(PipelineRunRequest.CampaignId));
        }

        if (request.MaxLeads is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PipelineRunRequest.MaxLeads), request.MaxLeads, "MaxLeads cannot be negative.");
        }

        if (!Enum.IsDefined(request.Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(PipelineRunRequest.Kind), request.Kind, "Kind is not a run kind.");
        }

        ValidateBacklog(request);
        ValidateParameters(request.Parameters);
    }

    /// <summary>Copies the parameters into an immutable map with ordinal keys, after checking them.</summary>
    public static FrozenDictionary<string, string> Freeze(IReadOnlyDictionary<string, string>? parameters) =>
        parameters is null || parameters.Count == 0 ? NoParameters : parameters.ToFrozenDictionary(StringComparer.Ordinal);

    private static void ValidateBacklog(PipelineRunRequest request)
    {
        const string Field = nameof(PipelineRunRequest.Backlog);
        if (request.Kind != PipelineRunKind.Backlog)
        {
            if (request.Backlog is not null)
            {
                throw new ArgumentException($"Backlog applies only to a run of kind {PipelineRunKind.Backlog}; this run is {request.Kind}.", Field);
            }

            return;
        }

        var backlog = request.Backlog
            ?? throw new ArgumentException($"A run of kind {PipelineRunKind.Backlog} needs Backlog: the stages to run and the states of the leads to take.", Field);
        if (backlog.Stages is not { Count: > 0 } stages)
        {
            throw new ArgumentException("Backlog.Stages must name at least one stage.", Field + ".Stages");
        }

        foreach (var stage in stages)
        {
            if (string.IsNullOrWhiteSpace(stage) || stage is StageNames.Harvest or StageNames.Dedup)
            {
                throw new ArgumentException($"Backlog.Stages cannot name '{stage}': a backlog runs stages after dedup over stored leads.", Field + ".Stages");
            }
        }

        if (backlog.States is not { Count: > 0 } states)
        {
            throw new ArgumentException("Backlog.States must name at least one lead state.", Field + ".States");
        }

        foreach (var state in states)
        {
            if (!Enum.IsDefined(state))
            {
                throw new ArgumentException($"Backlog.States holds {(int)state}, which is not a lead state.", Field + ".States");
            }
        }
    }

    private static void ValidateParameters(IReadOnlyDictionary<string, string>? parameters)
    {
        const string Field = nameof(PipelineRunRequest.Parameters);
        if (parameters is null)
        {
            return;
        }

        if (parameters.Count > PipelineRunRequest.MaxParameterCount)
        {
            throw new ArgumentException($"Parameters holds {parameters.Count} entries; at most {PipelineRunRequest.MaxParameterCount} are allowed.", Field);
        }

        foreach (var (key, value) in parameters)
        {
            if (!IsValidKey(key))
            {
                throw new ArgumentException(
                    $"Parameters key '{Printable(key)}' is not valid: 1 to {PipelineRunRequest.MaxParameterKeyLength} characters, ASCII letters, digits, '.', '_' and '-', starting with a letter.",
                    Field);
            }

            if (value is null)
            {
                throw new ArgumentException($"Parameters['{key}'] is null; give an empty string instead.", Field);
            }

            if (value.Length > PipelineRunRequest.MaxParameterValueLength)
            {
                throw new ArgumentException($"Parameters['{key}'] is {value.Length} characters long; at most {PipelineRunRequest.MaxParameterValueLength} are allowed.", Field);
            }

            if (TextPolicy.IndexOfForbidden(value) is var at and >= 0)
            {
                throw new ArgumentException($"Parameters['{key}'] holds {TextPolicy.Describe(value[at])} at index {at}; control characters and line or paragraph separators are not allowed.", Field);
            }
        }
    }

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

    private static string Printable(string? key) =>
        key is null ? "(null)" : key.Length > PipelineRunRequest.MaxParameterKeyLength ? key[..PipelineRunRequest.MaxParameterKeyLength] + "…" : TextPolicy.RemoveForbidden(key) ?? string.Empty;
}
