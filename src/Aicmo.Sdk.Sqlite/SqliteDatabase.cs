using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Sqlite;

/// <summary>
/// One SQLite database file shared by the six stores: creates and migrates the schema on first use, serves reads from pooled
/// connections, and funnels every write through one writer connection that commits queued writes together (group commit).
/// </summary>
/// <remarks>
/// SQLite allows one writer at a time per file. A single writer connection per process turns contention between pipeline
/// workers into batching instead of lock waits; WAL mode lets readers proceed while it commits, and the busy timeout covers
/// other processes. There is no writer thread: the first caller to find the writer free commits the queue itself (so a write
/// costs no thread switch when nobody else is writing), and callers arriving meanwhile are taken into its next batch.
/// </remarks>
internal sealed partial class SqliteDatabase : IAsyncDisposable
{
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private const int MaxBatchesPerLeader = 4;

    /// <summary>The most failed deferred writes kept for their leads' next writes (see <see cref="DeferredFaults"/>).</summary>
    internal const int MaxDeferredFaults = 10_000;
    private static readonly TimeSpan DeferredFlushDelay = TimeSpan.FromMilliseconds(2);

    /// <summary>For this long after a write found another commit under way, writes are committed from the thread pool (see <see cref="Submit"/>).</summary>
    private static readonly long ContendedInterval = Stopwatch.Frequency / 50;
    private readonly ConcurrentQueue<WriteOperation> _queue = new();
    private readonly DeferredFaults _deferredFaults = new(MaxDeferredFaults);
    private const int MaxIdleReaders = 16;
    private readonly List<WriteOperation> _batch = [];
    private readonly ConcurrentBag<ReadContext> _readers = [];
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;
    private WriteContext? _context;
    private int _queued;
    private int _leader;
    private int _flushScheduled;
    private int _drainScheduled;
    private long _lastContended = long.MinValue / 2;
    private int _disposed;
    private long _batches;
    private long _writeCount;

    static SqliteDatabase() => SQLitePCL.Batteries_V2.Init();

    public SqliteDatabase(IOptions<SqliteStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var builder = new SqliteConnectionStringBuilder(_options.ConnectionString)
        {
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
        };
        if (builder.Mode == SqliteOpenMode.ReadWrite)
        {
            builder.Mode = SqliteOpenMode.ReadWriteCreate;
        }

        _connectionString = builder.ToString();
    }

    public string ConnectionString => _connectionString;

    /// <summary>Gets how many write transactions the writer committed.</summary>
    public long CommittedBatches => Interlocked.Read(ref _batches);

    /// <summary>Gets how many writes those transactions held.</summary>
    public long CommittedWrites => Interlocked.Read(ref _writeCount);

    /// <summary>Creates or migrates the schema (once per instance) and starts the writer.</summary>
    public async ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var directory = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(_connectionString).DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            Migrate();
            _context = new WriteContext(Open());
            _initialized = true;
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>Runs a read on an idle reader connection (opened when none is idle), whose prepared statements are kept.</summary>
    public async ValueTask<T> ReadAsync<T>(Func<ReadContext, T> read, CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Readers need no pragmas: WAL lets them read while the writer commits, and Microsoft.Data.Sqlite retries a busy
        // database until the command timeout (the busy timeout) runs out.
        if (!_readers.TryTake(out var reader))
        {
            var connection = new SqliteConnection(_connectionString);
            connection.Open();
            reader = new ReadContext(connection);
        }

        try
        {
            return read(reader);
        }
        finally
        {
            if (Volatile.Read(ref _disposed) == 0 && _readers.Count < MaxIdleReaders)
            {
                _readers.Add(reader);
            }
            else
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>
    /// Queues a write; it runs inside a write transaction and completes when that transaction commits. When no other caller is
    /// committing, the caller commits itself (with whatever else is queued) without a thread switch; otherwise the caller that
    /// is committing takes it into its next batch (group commit).
    /// </summary>
    /// <param name="write">The write. It makes at most one change, with its first statement.</param>
    /// <param name="leadId">The lead the write changes, if any: a write of a lead fails when a deferred write of it failed.</param>
    /// <param name="cancellationToken">A token to cancel before the write is queued.</param>
    /// <param name="atomic">
    /// Whether the write may make several changes: it then runs inside a savepoint, so that when it fails everything it changed
    /// is undone and the rest of the batch still commits. A batch of leads or events is one atomic write.
    /// </param>
    public ValueTask<T> WriteAsync<T>(Func<WriteContext, T> write, CancellationToken cancellationToken, Guid? leadId = null, bool atomic = false)
    {
        if (!_initialized)
        {
            return WriteAfterInitAsync(write, cancellationToken, leadId, atomic);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var operation = new WriteOperation<T>(write, leadId, atomic: atomic);
        Enqueue(operation);
        Submit();
        return operation.Task.IsCompletedSuccessfully ? new ValueTask<T>(operation.Task.Result) : new ValueTask<T>(operation.Task);
    }

    /// <summary>
    /// Queues a write that nobody waits for (an audit event): it is committed with the next batch, always before any write
    /// queued after it. When it fails, the next write of the same lead fails with its error, so a lead's state is never
    /// stored past an event that was lost.
    /// </summary>
    /// <param name="leadId">The lead the write belongs to.</param>
    /// <param name="write">The write.</param>
    /// <param name="cancellationToken">A token to cancel before the write is queued.</param>
    public ValueTask DeferAsync(Guid leadId, Action<WriteContext> write, CancellationToken cancellationToken) =>
        DeferAsync(new DeferredWrite(leadId, null, write, this), cancellationToken);

    /// <summary>
    /// Queues an atomic write of several leads' events that nobody waits for (see <see cref="DeferAsync(Guid, Action{WriteContext}, CancellationToken)"/>):
    /// it runs inside a savepoint, so it is stored whole or not at all, and when it fails the next write of each of
    /// <paramref name="leadIds"/> fails with its error.
    /// </summary>
    /// <param name="leadIds">The leads the events belong to (repeats allowed).</param>
    /// <param name="write">The write.</param>
    /// <param name="cancellationToken">A token to cancel before the write is queued.</param>
    public ValueTask DeferManyAsync(Guid[] leadIds, Action<WriteContext> write, CancellationToken cancellationToken) =>
        DeferAsync(new DeferredWrite(default, leadIds, write, this), cancellationToken);

    /// <summary>
    /// Throws when a deferred write of <paramref name="leadId"/> failed (and forgets that failure): called by a write of several
    /// leads, inside its savepoint, for each lead it changes. A write of one lead passes its lead to <see cref="WriteAsync"/> instead.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    public void ThrowIfDeferredWriteFailed(Guid leadId)
    {
        if (_deferredFaults.TryTake(leadId, out var lost))
        {
            throw LostWrite(leadId, lost);
        }
    }

    private ValueTask DeferAsync(DeferredWrite operation, CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            return DeferAfterInitAsync(operation, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        Enqueue(operation);
        if (_options.MaxWriteBatchDelay > TimeSpan.Zero || Volatile.Read(ref _queued) < _options.WriteBatchSize * 4)
        {
            // The next caller's commit takes it, or else a background flush a moment later: nobody waits for it, and
            // committing it alone would cost a transaction of its own.
            ScheduleFlush(DeferredFlushDelay);
        }
        else
        {
            // Backpressure: too much is queued, so this caller commits before it goes on.
            Drain();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Completes when every write queued before the call is committed (or has failed).</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _queued) == 0 && Volatile.Read(ref _leader) == 0)
        {
            return;
        }

        var barrier = new WriteOperation<bool>(static _ => true, null, counted: false);
        Enqueue(barrier);
        Submit();
        await barrier.Task.ConfigureAwait(false);
    }

    private async ValueTask<T> WriteAfterInitAsync<T>(Func<WriteContext, T> write, CancellationToken cancellationToken, Guid? leadId, bool atomic)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await WriteAsync(write, cancellationToken, leadId, atomic).ConfigureAwait(false);
    }

    private async ValueTask DeferAfterInitAsync(DeferredWrite operation, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await DeferAsync(operation, cancellationToken).ConfigureAwait(false);
    }

    private static InvalidOperationException LostWrite(Guid leadId, Exception lost) =>
        new($"An earlier write of lead {leadId} (an audit event) could not be stored: {lost.Message}", lost);

    private void Enqueue(WriteOperation operation)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }

        _queue.Enqueue(operation);
        Interlocked.Increment(ref _queued);
    }

    private void Submit()
    {
        if (_options.MaxWriteBatchDelay > TimeSpan.Zero)
        {
            ScheduleFlush();
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (Volatile.Read(ref _leader) != 0 || Volatile.Read(ref _drainScheduled) != 0)
        {
            Volatile.Write(ref _lastContended, now);
        }

        if (now - Volatile.Read(ref _lastContended) < ContendedInterval)
        {
            // Other callers have been writing at the same time (concurrent workers): the commit runs from the thread pool a moment
            // later, so that the writes their callers queue meanwhile go into the same transaction. A commit costs about as much
            // for one write as for ten (the pages, the locks), so under load this saves most of them, for a thread switch.
            ScheduleDrain();
        }
        else
        {
            // A caller writing alone commits at once, with no thread switch.
            Drain();
        }
    }

    private void ScheduleDrain()
    {
        if (Interlocked.CompareExchange(ref _drainScheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                static db =>
                {
                    Volatile.Write(ref db._drainScheduled, 0);
                    db.Drain();
                },
                this,
                preferLocal: false);
        }
    }

    private void ScheduleFlush(TimeSpan delay = default)
    {
        if (Interlocked.CompareExchange(ref _flushScheduled, 1, 0) == 0)
        {
            _ = Task.Run(() => FlushLaterAsync(delay));
        }
    }

    private async Task FlushLaterAsync(TimeSpan delay)
    {
        if (_options.MaxWriteBatchDelay > delay)
        {
            delay = _options.MaxWriteBatchDelay;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }

        Volatile.Write(ref _flushScheduled, 0);
        Drain();
    }

    /// <summary>
    /// Commits what is queued, in batches, unless another caller already is (it then takes what was queued before this call).
    /// Checking the queue again after giving up the lead closes the window where a write is queued just as the leader stops.
    /// </summary>
    private void Drain()
    {
        var batches = 0;
        while (!_queue.IsEmpty)
        {
            if (Interlocked.CompareExchange(ref _leader, 1, 0) != 0)
            {
                return;
            }

            try
            {
                while (batches < MaxBatchesPerLeader && TakeBatch())
                {
                    Commit(_context!, _batch);
                    _batch.Clear();
                    batches++;
                }
            }
            finally
            {
                Volatile.Write(ref _leader, 0);
            }

            if (batches >= MaxBatchesPerLeader && !_queue.IsEmpty)
            {
                // A caller that has committed for others long enough goes back to its own work; the pool takes over.
                ThreadPool.UnsafeQueueUserWorkItem(static db => db.Drain(), this, preferLocal: false);
                return;
            }
        }
    }

    private bool TakeBatch()
    {
        while (_batch.Count < _options.WriteBatchSize && _queue.TryDequeue(out var operation))
        {
            Interlocked.Decrement(ref _queued);
            _batch.Add(operation);
        }

        return _batch.Count > 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_initialized)
        {
            // Whatever is still queued (deferred audit events) is committed before the connection closes.
            while (!_queue.IsEmpty || Volatile.Read(ref _leader) != 0)
            {
                Drain();
                if (!_queue.IsEmpty || Volatile.Read(ref _leader) != 0)
                {
                    await Task.Delay(1).ConfigureAwait(false);
                }
            }

            _context!.Dispose();
        }

        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }

        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initLock.Dispose();
    }

    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();

        // Per-connection settings. NORMAL is safe in WAL mode: a process crash loses nothing; a power cut may lose the last commits.
        // The checkpoint interval matters on the writer's connection, the one that commits (see SqliteStoreOptions.WalAutoCheckpointPages).
        pragma.CommandText = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = {_options.WalAutoCheckpointPages};");
        pragma.ExecuteNonQuery();
        return connection;
    }

    private void Migrate()
    {
        using var connection = Open();
        using (var wal = connection.CreateCommand())
        {
            // Persistent in the file; the first process to get here switches it, the others find it already set.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        // BEGIN IMMEDIATE takes the write lock before reading the version, so processes starting at once migrate one after another.
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS aicmo_schema_version (
                version     INTEGER NOT NULL PRIMARY KEY,
                description TEXT    NOT NULL,
                applied_at  TEXT    NOT NULL
            );
            SELECT version FROM aicmo_schema_version;
            """;
        var applied = new HashSet<int>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var pending = SchemaMigrations.Pending(
            applied,
            SqliteSchema.Migrations,
            (current, latest) => $"The database schema is at version {current}, newer than this version of Aicmo.Sdk.Sqlite supports ({latest}). Upgrade the package.");
        foreach (var (version, description, sql) in pending)
        {
            command.Parameters.Clear();
            command.CommandText = sql;
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO aicmo_schema_version (version, description, applied_at) VALUES ($version, $description, $at);";
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$description", description);
            command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
