using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>An error recorded against a run: a failed source, or the fatal error that stopped it.</summary>
/// <param name="Stage">The stage (for a source, <c>harvest</c>).</param>
/// <param name="Source">The source name, when a source failed.</param>
/// <param name="ErrorType">The exception type.</param>
/// <param name="Message">The exception message.</param>
public sealed record PipelineError(string Stage, string? Source, string ErrorType, string Message);
