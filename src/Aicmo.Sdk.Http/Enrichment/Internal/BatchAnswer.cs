using System.Text.Json;

namespace Aicmo.Sdk.Http.Enrichment.Internal;

/// <summary>One key's answer in a batch response.</summary>
/// <param name="Result">The result for the key (a copy, independent of the response), or <see langword="null"/> when there is none.</param>
/// <param name="Error">The API's error for this key alone, or <see langword="null"/>.</param>
internal sealed record BatchAnswer(JsonElement? Result, string? Error)
{
    public static BatchAnswer NotFound { get; } = new(null, null);
}
