namespace Aicmo.Sdk.AspNetCore.Internal;

/// <summary>One page of a list: the items and the cursor of the next page (absent on the last page).</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
