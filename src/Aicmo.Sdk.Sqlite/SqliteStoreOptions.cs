using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Sqlite;

/// <summary>Options of the SQLite stores registered by <c>UseSqlite</c>.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets the connection string, for example <c>Data Source=aicmo.db</c>.</summary>
    /// <value>Required. Must name a database file; in-memory databases are not supported (use the in-memory stores instead).</value>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets the largest number of writes committed together in one transaction.</summary>
    /// <remarks>
    /// Writes from concurrent pipeline workers queue up while a transaction commits and are committed together in the next one,
    /// so persistence costs one commit per batch, not one per lead. Every write still completes only after its batch commits.
    /// </remarks>
    /// <value>The default value is 512. Must be between 1 and 100000.</value>
    public int WriteBatchSize { get; set; } = 512;

    /// <summary>Gets or sets how long the writer waits for more writes before committing a batch that is not full.</summary>
    /// <remarks>Zero commits whatever is queued as soon as the writer is free; a small delay makes batches larger at the cost of latency.</remarks>
    /// <value>The default value is zero. Must be between zero and 1 second.</value>
    public TimeSpan MaxWriteBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Gets or sets how many pages the write-ahead log may hold before the writer copies them back into the database file
    /// (SQLite's <c>wal_autocheckpoint</c> on the writer's connection).
    /// </summary>
    /// <remarks>
    /// A checkpoint synchronizes the log and the database file with the disk and copies every page changed since the last one;
    /// while readers are active it may stop part-way, and SQLite then tries again at each following commit. SQLite's own default
    /// (1,000 pages, about 4 MB) makes a pipeline run checkpoint every few commits: the full-pipeline benchmark ran 22 to 42 %
    /// faster with 10,000 (<c>benchmarks/results/FullPipelineBenchmarks-sqlite-checkpoints.md</c>). The log then grows to
    /// about this many pages (40 MB at 4 KiB a page) before it is reused. Crash safety is the same either way: a committed
    /// transaction is in the log, and opening the database after a crash replays it.
    /// </remarks>
    /// <value>The default value is 10000. Must be between 100 and 1000000.</value>
    public int WalAutoCheckpointPages { get; set; } = 10_000;

    /// <summary>Gets or sets how long a connection waits for another process's lock on the database before failing.</summary>
    /// <value>The default value is 30 seconds. Must be between 1 second and 1 hour.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
