using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Sqlite;

/// <summary>
/// One SQLite database file shared by the six stores: creates and migrates the schema on first use, serves reads from pooled
/// connections, and funnels every write through one writer that commits queued writes together (group commit).
/// </summary>
/// <remarks>
/// SQLite allows one writer at a time per file. A single writer per process turns contention between pipeline workers into
/// batching instead of lock waits; WAL mode lets readers proceed while it commits, and the busy timeout covers other processes.
/// </remarks>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly Channel<WriteOperation> _writes = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;
    private Task? _writer;
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
            var writerConnection = Open();
            _writer = Task.Factory.StartNew(() => WriterLoopAsync(writerConnection), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            _initialized = true;
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>Runs a read on a pooled connection.</summary>
    public async ValueTask<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        // Readers need no pragmas: WAL lets them read while the writer commits, and Microsoft.Data.Sqlite retries a busy
        // database until the command timeout (the busy timeout) runs out.
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return read(connection);
    }

    /// <summary>Queues a write; it runs inside the writer's transaction and completes when that transaction commits.</summary>
    public async ValueTask<T> WriteAsync<T>(Func<WriteContext, T> write, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var operation = new WriteOperation<T>(write);
        if (!_writes.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }

        return await operation.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writes.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(false);
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
        pragma.CommandText = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
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
            SELECT COALESCE(MAX(version), 0) FROM aicmo_schema_version;
            """;
        var current = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current > SqliteSchema.LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, newer than this version of Aicmo.Sdk.Sqlite supports ({SqliteSchema.LatestVersion}). Upgrade the package.");
        }

        foreach (var (version, description, sql) in SqliteSchema.Migrations)
        {
            if (version <= current)
            {
                continue;
            }

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

    private async Task WriterLoopAsync(SqliteConnection connection)
    {
        var reader = _writes.Reader;
        var batch = new List<WriteOperation>(_options.WriteBatchSize);
        var context = new WriteContext(connection);
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < _options.WriteBatchSize && reader.TryRead(out var operation))
                {
                    batch.Add(operation);
                }

                if (batch.Count < _options.WriteBatchSize && _options.MaxWriteBatchDelay > TimeSpan.Zero)
                {
                    await FillAsync(reader, batch).ConfigureAwait(false);
                }

                Commit(context, batch);
                batch.Clear();
            }
        }
        finally
        {
            context.Dispose();
            connection.Dispose();
        }
    }

    private async Task FillAsync(ChannelReader<WriteOperation> reader, List<WriteOperation> batch)
    {
        using var timeout = new CancellationTokenSource(_options.MaxWriteBatchDelay);
        try
        {
            while (batch.Count < _options.WriteBatchSize && await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                while (batch.Count < _options.WriteBatchSize && reader.TryRead(out var operation))
                {
                    batch.Add(operation);
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // The delay is up: commit what we have.
        }
    }

    private void Commit(WriteContext context, List<WriteOperation> batch)
    {
        SqliteTransaction? transaction = null;
        try
        {
            transaction = context.Connection.BeginTransaction(deferred: false);
            context.Transaction = transaction;
            foreach (var operation in batch)
            {
                // Every write makes at most one change, with its first statement (what follows only reads), and SQLite undoes a
                // failing statement alone: a write that fails leaves nothing behind, and the others in the batch still commit.
                try
                {
                    operation.Execute(context);
                }
                catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 })
                {
                    operation.Fail(ex);
                }
            }

            transaction.Commit();
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _writeCount, batch.Count);
        }
        catch (Exception ex)
        {
            // The transaction itself failed (lock timeout, I/O error, full disk): nothing in the batch was stored.
            try
            {
                transaction?.Rollback();
            }
            catch (SqliteException)
            {
            }

            foreach (var operation in batch)
            {
                operation.Fail(ex);
            }

            return;
        }
        finally
        {
            context.Transaction = null;
            transaction?.Dispose();
        }

        foreach (var operation in batch)
        {
            operation.Complete();
        }
    }

    private abstract class WriteOperation
    {
        public abstract void Execute(WriteContext context);

        public abstract void Fail(Exception exception);

        public abstract void Complete();
    }

    private sealed class WriteOperation<T>(Func<WriteContext, T> write) : WriteOperation
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private bool _failed;

        public Task<T> Task => _completion.Task;

        public override void Execute(WriteContext context) => _result = write(context);

        public override void Fail(Exception exception)
        {
            _failed = true;
            _completion.TrySetException(exception);
        }

        public override void Complete()
        {
            if (!_failed)
            {
                _completion.TrySetResult(_result!);
            }
        }
    }
}

/// <summary>
/// The writer's connection and transaction, with its prepared commands cached by SQL text. A write makes at most one change,
/// with its first statement; statements after it only read.
/// </summary>
internal sealed class WriteContext(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    public SqliteTransaction? Transaction { get; set; }

    /// <summary>Returns the cached command for <paramref name="sql"/>, with no parameters, bound to the current transaction.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Execute(string sql) => Command(sql).ExecuteNonQuery();

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
