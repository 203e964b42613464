using System.Collections.Concurrent;
using System.Threading.Channels;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>
/// The PostgreSQL database the six stores share: the data source, the schema (created and migrated on first use, under an
/// advisory lock so hosts starting at once migrate one after another) and the batched audit writer.
/// </summary>
internal sealed class PostgreSqlDatabase : IAsyncDisposable
{
    private readonly PostgreSqlStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private readonly Channel<PendingAudit> _audit = Channel.CreateUnbounded<PendingAudit>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _initialized;
    private Task? _auditWriter;
    private int _disposed;
    private long _auditBatches;
    private readonly ConcurrentDictionary<Guid, PendingAudit> _pendingByLead = new();
    private readonly DeferredFaults _auditFaults = new(MaxAuditFaults);
    private PendingAudit? _lastQueued;
    private int _auditQueued;
    private readonly List<IPostgreSqlBackgroundWriter> _background = [];

    public PostgreSqlDatabase(IOptions<PostgreSqlStoreOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options.Value;
        if (_options.ConnectionString is { } connectionString)
        {
            // The stores run the same few statements for every lead: unless the connection string says otherwise, Npgsql
            // prepares them on each connection once used twice, so the server parses and plans each once, not per call.
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (builder.MaxAutoPrepare == 0)
            {
                builder.MaxAutoPrepare = 64;
                builder.AutoPrepareMinUsages = 2;
            }

            // The stores leave no session state behind (no SET, no session-level advisory lock, no temporary table), so a
            // connection going back to the pool needs no reset: without one, the server is spared four statements per use.
            var named = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
            if (!named.ContainsKey("No Reset On Close") && !named.ContainsKey("NoResetOnClose"))
            {
                builder.NoResetOnClose = true;
            }

            _dataSource = NpgsqlDataSource.Create(builder);
            _ownsDataSource = true;
        }
        else
        {
            _dataSource = services.GetService(typeof(NpgsqlDataSource)) as NpgsqlDataSource
                ?? throw new InvalidOperationException(
                    "UsePostgreSql() without a connection string needs an NpgsqlDataSource in the container (for example services.AddNpgsqlDataSource(...)); " +
                    "or pass the connection string: UsePostgreSql(\"Host=...;Database=...\").");
        }

        Schema = "\"" + _options.Schema + "\"";
    }

    /// <summary>The most failed audit writes kept for their leads' next writes (see <see cref="DeferredFaults"/>).</summary>
    internal const int MaxAuditFaults = 10_000;

    /// <summary>How many full groups a coalescer's queue holds before callers wait for room.</summary>
    public const int CoalescerCapacityInBatches = 8;

    /// <summary>Gets the quoted schema name.</summary>
    public string Schema { get; }

    /// <summary>Gets how many batches the audit writer has written.</summary>
    public long AuditBatches => Interlocked.Read(ref _auditBatches);

    /// <summary>Returns <paramref name="sql"/> with <c>{s}</c> replaced by the quoted schema name.</summary>
    public string Sql(string sql) => sql.Replace("{s}", Schema, StringComparison.Ordinal);

    public async ValueTask<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return _dataSource.CreateCommand(Sql(sql));
    }

    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a <see cref="PostgreSqlCoalescer{TRequest, TResult}"/> for one kind of per-lead call, finished when the database
    /// is disposed; a group holds at most <see cref="PostgreSqlStoreOptions.WriteBatchSize"/> calls, and at most
    /// <see cref="CoalescerCapacityInBatches"/> groups' worth wait in its queue.
    /// </summary>
    public PostgreSqlCoalescer<TRequest, TResult> Coalesce<TRequest, TResult>(
        Func<List<TRequest>, Task<TResult[]>> group, Func<TRequest, Task<TResult>> alone)
    {
        var coalescer = new PostgreSqlCoalescer<TRequest, TResult>(group, alone, _options.WriteBatchSize, _options.WriteBatchSize * CoalescerCapacityInBatches);
        lock (_background)
        {
            _background.Add(coalescer);
        }

        return coalescer;
    }

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
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
            _auditWriter = Task.Run(AuditWriterLoopAsync, CancellationToken.None);
            _initialized = true;
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>
    /// Queues an audit event without waiting for it to be written: the writer commits it with the next batch. A lead's next
    /// state is stored only after its events are (<see cref="WaitForAuditsAsync"/>), so a stored lead never has a gap in its
    /// trail; only when too many events are queued does the caller wait, which bounds the queue.
    /// </summary>
    public async ValueTask AppendAuditAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAudit(auditEvent);
        _pendingByLead[auditEvent.LeadId] = pending;
        Volatile.Write(ref _lastQueued, pending);
        if (Interlocked.Increment(ref _auditQueued) > _options.WriteBatchSize * 4)
        {
            if (!_audit.Writer.TryWrite(pending))
            {
                throw new ObjectDisposedException(nameof(PostgreSqlDatabase));
            }

            await pending.Completion.Task.ConfigureAwait(false);
            ThrowIfLost(auditEvent.LeadId);
            return;
        }

        if (!_audit.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgreSqlDatabase));
        }
    }

    /// <summary>
    /// Queues several audit events, in order, the way <see cref="AppendAuditAsync"/> queues one: the writer commits them with
    /// the next batches, in one statement per batch; the caller waits only when too many events are queued.
    /// </summary>
    public async ValueTask AppendAuditsAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        PendingAudit? last = null;
        foreach (var auditEvent in auditEvents.Span)
        {
            last = new PendingAudit(auditEvent);
            _pendingByLead[auditEvent.LeadId] = last;
            Volatile.Write(ref _lastQueued, last);
            Interlocked.Increment(ref _auditQueued);
            if (!_audit.Writer.TryWrite(last))
            {
                throw new ObjectDisposedException(nameof(PostgreSqlDatabase));
            }
        }

        if (last is not null && Volatile.Read(ref _auditQueued) > _options.WriteBatchSize * 4)
        {
            await last.Completion.Task.ConfigureAwait(false);
            foreach (var auditEvent in auditEvents.Span)
            {
                ThrowIfLost(auditEvent.LeadId);
            }
        }
    }

    /// <summary>
    /// Completes when every audit event queued for the lead is written; throws when one of them could not be, so the caller
    /// does not store a state whose history is missing.
    /// </summary>
    public async ValueTask WaitForAuditsAsync(Guid leadId)
    {
        if (_pendingByLead.TryGetValue(leadId, out var pending))
        {
            await pending.Completion.Task.ConfigureAwait(false);
        }

        ThrowIfLost(leadId);
    }

    /// <summary>Completes when every audit event queued before the call is written (or has failed).</summary>
    public async ValueTask FlushAuditsAsync()
    {
        if (Volatile.Read(ref _lastQueued) is { } last)
        {
            await last.Completion.Task.ConfigureAwait(false);
        }
    }

    private void ThrowIfLost(Guid leadId)
    {
        if (_auditFaults.TryTake(leadId, out var lost))
        {
            throw new InvalidOperationException($"An audit event of lead {leadId} could not be stored: {lost.Message}", lost);
        }
    }

    private void Written(PendingAudit item, Exception? failure)
    {
        if (failure is not null)
        {
            _auditFaults.Record(item.Event.LeadId, failure);
        }

        // Forget the lead once its last queued event is written, so the map holds only leads with events in the queue.
        ((ICollection<KeyValuePair<Guid, PendingAudit>>)_pendingByLead).Remove(new(item.Event.LeadId, item));
        Interlocked.Decrement(ref _auditQueued);
        item.Completion.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        IPostgreSqlBackgroundWriter[] background;
        lock (_background)
        {
            background = [.. _background];
        }

        foreach (var writer in background)
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }

        _audit.Writer.TryComplete();
        if (_auditWriter is not null)
        {
            await _auditWriter.ConfigureAwait(false);
        }

        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _initLock.Dispose();
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;

        // The advisory lock is held until commit: a second host starting now waits here, then finds the schema up to date.
        command.CommandText = "SELECT pg_advisory_xact_lock(hashtext(@name));";
        command.Parameters.AddWithValue("name", "aicmo.sdk.schema:" + _options.Schema);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.Parameters.Clear();

        command.CommandText = Sql("""
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.schema_version (
                version     integer     NOT NULL PRIMARY KEY,
                description text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            );
            SELECT version FROM {s}.schema_version;
            """);
        var applied = new HashSet<int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var pending = SchemaMigrations.Pending(
            applied,
            PostgreSqlSchema.Migrations,
            (current, latest) => $"The schema {Schema} is at version {current}, newer than this version of Aicmo.Sdk.PostgreSql supports ({latest}). Upgrade the package.");
        foreach (var (version, description, sql) in pending)
        {
            command.CommandText = Sql(sql);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.CommandText = Sql("INSERT INTO {s}.schema_version (version, description) VALUES (@version, @description);");
            command.Parameters.AddWithValue("version", version);
            command.Parameters.AddWithValue("description", description);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.Parameters.Clear();
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task AuditWriterLoopAsync()
    {
        var reader = _audit.Reader;
        var batch = new List<PendingAudit>(_options.WriteBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _options.WriteBatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count < _options.WriteBatchSize && _options.MaxWriteBatchDelay > TimeSpan.Zero)
            {
                using var timeout = new CancellationTokenSource(_options.MaxWriteBatchDelay);
                try
                {
                    while (batch.Count < _options.WriteBatchSize && await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        while (batch.Count < _options.WriteBatchSize && reader.TryRead(out var item))
                        {
                            batch.Add(item);
                        }
                    }
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                }
            }

            try
            {
                await InsertAuditAsync(batch).ConfigureAwait(false);
                Interlocked.Increment(ref _auditBatches);
                foreach (var item in batch)
                {
                    Written(item, null);
                }
            }
            catch (Exception) when (batch.Count > 1)
            {
                // One bad event fails the whole statement: write them one by one so only that one fails.
                foreach (var item in batch)
                {
                    try
                    {
                        await InsertAuditAsync([item]).ConfigureAwait(false);
                        Written(item, null);
                    }
                    catch (Exception ex)
                    {
                        Written(item, ex);
                    }
                }
            }
            catch (Exception ex)
            {
                Written(batch[0], ex);
            }

            batch.Clear();
        }
    }

    // The events of a batch in one statement (see PostgreSqlAuditEvents: the last appended for a lead's sequence wins).
    private async Task InsertAuditAsync(List<PendingAudit> batch)
    {
        var events = new AuditEvent[batch.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = batch[i].Event;
        }

        await using var command = _dataSource.CreateCommand(Sql(PostgreSqlAuditEvents.InsertSql));
        PostgreSqlAuditEvents.Bind(command, events);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private sealed class PendingAudit(AuditEvent auditEvent)
    {
        public AuditEvent Event { get; } = auditEvent;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
