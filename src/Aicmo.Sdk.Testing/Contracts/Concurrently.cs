namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>Starts many tasks so that they hit a store at the same moment.</summary>
internal static class Concurrently
{
    /// <summary>Starts one task per item, releases them together and returns their results in item order.</summary>
    public static async Task<TResult[]> RunAsync<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, Task<TResult>> action)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = items.Select(item => Task.Run(async () =>
        {
            await start.Task.ConfigureAwait(false);
            return await action(item).ConfigureAwait(false);
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
