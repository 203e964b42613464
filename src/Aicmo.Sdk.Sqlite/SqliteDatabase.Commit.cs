using Microsoft.Data.Sqlite;

namespace Aicmo.Sdk.Sqlite;

// The writer's commit of a batch and the queued operations it runs.
internal sealed partial class SqliteDatabase
{
    private void Commit(WriteContext context, List<WriteOperation> batch)
    {
        // BEGIN and COMMIT run as cached native statements (a SqliteTransaction prepares both anew every time). IMMEDIATE
        // takes the write lock up front, so another process makes this wait (the connection's busy timeout), never fail half-way.
        var begun = false;
        var counted = 0;
        try
        {
            context.Statement("BEGIN IMMEDIATE;").Execute();
            begun = true;
            foreach (var operation in batch)
            {
                // A write makes at most one change, with its first statement (what follows only reads), and SQLite undoes a
                // failing statement alone; an atomic write may make several, inside a savepoint it rolls back to when it fails.
                // Either way a write that fails leaves nothing behind, and the others in the batch still commit.
                var savepoint = false;
                try
                {
                    if (operation.LeadId is { } leadId)
                    {
                        ThrowIfDeferredWriteFailed(leadId);
                    }

                    if (operation.Atomic)
                    {
                        context.Statement("SAVEPOINT aicmo_write;").Execute();
                        savepoint = true;
                    }

                    operation.Execute(context);
                    if (savepoint)
                    {
                        savepoint = false;
                        context.Statement("RELEASE aicmo_write;").Execute();
                    }
                }
                catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 })
                {
                    if (savepoint)
                    {
                        // Should undoing fail, the whole batch fails and rolls back (the outer handler).
                        context.Statement("ROLLBACK TO aicmo_write;").Execute();
                        context.Statement("RELEASE aicmo_write;").Execute();
                    }

                    operation.Fail(ex);
                }

                if (operation.Counted)
                {
                    counted++;
                }
            }

            context.Statement("COMMIT;").Execute();
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _writeCount, counted);
        }
        catch (Exception ex)
        {
            // The transaction itself failed (lock timeout, I/O error, full disk): nothing in the batch was stored. SQLite may
            // have rolled it back already; then ROLLBACK reports that no transaction is active.
            if (begun)
            {
                try
                {
                    context.Statement("ROLLBACK;").Execute();
                }
                catch (SqliteException)
                {
                }
            }

            foreach (var operation in batch)
            {
                operation.Fail(ex);
            }

            return;
        }

        foreach (var operation in batch)
        {
            operation.Complete();
        }
    }

    private void RecordDeferredFault(Guid leadId, Exception exception) => _deferredFaults.Record(leadId, exception);

    /// <summary>Gets how many failed deferred writes are kept for their leads' next writes.</summary>
    internal int DeferredFaultCount => _deferredFaults.Count;

    private abstract class WriteOperation(Guid? leadId, bool counted, bool atomic)
    {
        public Guid? LeadId { get; } = leadId;

        public bool Counted { get; } = counted;

        public bool Atomic { get; } = atomic;

        public abstract void Execute(WriteContext context);

        public abstract void Fail(Exception exception);

        public abstract void Complete();
    }

    private sealed class WriteOperation<T>(Func<WriteContext, T> write, Guid? leadId, bool counted = true, bool atomic = false) : WriteOperation(leadId, counted, atomic)
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

    /// <summary>
    /// A write nobody waits for; its failure is kept for the next write of its lead, or of each of its leads when it writes
    /// several (then atomically), see <see cref="DeferAsync(Guid, Action{WriteContext}, CancellationToken)"/>.
    /// </summary>
    private sealed class DeferredWrite(Guid leadId, Guid[]? leadIds, Action<WriteContext> write, SqliteDatabase owner)
        : WriteOperation(null, counted: true, atomic: leadIds is not null)
    {
        public override void Execute(WriteContext context) => write(context);

        public override void Fail(Exception exception)
        {
            if (leadIds is null)
            {
                owner.RecordDeferredFault(leadId, exception);
                return;
            }

            foreach (var id in leadIds)
            {
                owner.RecordDeferredFault(id, exception);
            }
        }

        public override void Complete()
        {
        }
    }
}
