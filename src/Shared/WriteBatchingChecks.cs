namespace Aicmo.Sdk.Storage.Sql;

/// <summary>
/// The checks of the write-batching options that the SQLite and PostgreSQL stores share (<c>WriteBatchSize</c>,
/// <c>MaxWriteBatchDelay</c>): both stores gather writes into batches the same way, so both accept the same ranges and say so
/// in the same words.
/// </summary>
internal static class WriteBatchingChecks
{
    /// <summary>Adds a failure, naming the option, for each write-batching value out of its range.</summary>
    /// <param name="options">The options type's name, for example <c>SqliteStoreOptions</c>.</param>
    /// <param name="writeBatchSize">The most writes one batch takes; 1 to 100,000.</param>
    /// <param name="maxWriteBatchDelay">How long a batch waits for more writes; zero to 1 second.</param>
    /// <param name="failures">The failures found so far.</param>
    public static void Check(string options, int writeBatchSize, TimeSpan maxWriteBatchDelay, List<string> failures)
    {
        if (writeBatchSize is < 1 or > 100_000)
        {
            failures.Add($"{options}.WriteBatchSize must be between 1 and 100000 (was {writeBatchSize}).");
        }

        if (maxWriteBatchDelay < TimeSpan.Zero || maxWriteBatchDelay > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{options}.MaxWriteBatchDelay must be between zero and 1 second (was {maxWriteBatchDelay}).");
        }
    }
}
