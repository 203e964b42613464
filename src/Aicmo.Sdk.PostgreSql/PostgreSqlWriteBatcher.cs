using System.Threading.Channels;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>
/// Group commit for the pipeline's frequent writes (lead insert and update, outbox reservation and send): writes queued by
/// concurrent workers go to the server together as one <see cref="NpgsqlBatch"/>, which PostgreSQL runs in one implicit
/// transaction: one round trip and one commit for the whole batch instead of one per write.
/// </summary>
/// <remarks>
/// Every batched statement returns one result set, read back by its own write. When the batch fails (one statement's error
/// aborts the implicit transaction, so nothing of it was stored), every write of it runs again on its own, so only the
/// failing one reports an error, with the same exception it would have raised unbatched.
/// </remarks>
internal sealed class PostgreSqlWriteBatcher
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _batchSize;
    private readonly Channel<BatchedWrite> _queue = Channel.CreateUnbounded<BatchedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _batches;

    public PostgreSqlWriteBatcher(NpgsqlDataSource dataSource, int batchSize)
    {
        _dataSource = dataSource;
        _batchSize = batchSize;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Gets how many batches were sent.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Queues a write; completes with its result once the batch holding it is committed.</summary>
    /// <param name="command">The statement, returning one result set.</param>
    /// <param name="read">Reads the statement's result set (positioned on it) into the result.</param>
    /// <param name="alone">Runs the write on its own (after a failed batch), with the same result or exception.</param>
    public Task<T> WriteAsync<T>(NpgsqlBatchCommand command, Func<NpgsqlDataReader, T> read, Func<Task<T>> alone)
    {
        var write = new BatchedWrite<T>(command, read, alone);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(PostgreSqlWriteBatcher));
        }

        return write.Task;
    }

    /// <summary>Stops taking writes and completes once the queued ones are done.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<BatchedWrite>(_batchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _batchSize && reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count == 1)
            {
                await batch[0].RunAloneAsync().ConfigureAwait(false);
            }
            else if (!await TryRunBatchAsync(batch).ConfigureAwait(false))
            {
                foreach (var write in batch)
                {
                    await write.RunAloneAsync().ConfigureAwait(false);
                }
            }

            batch.Clear();
        }
    }

    private async Task<bool> TryRunBatchAsync(List<BatchedWrite> batch)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var npgsqlBatch = new NpgsqlBatch(connection);
            foreach (var write in batch)
            {
                npgsqlBatch.BatchCommands.Add(write.Command);
            }

            await using (var reader = await npgsqlBatch.ExecuteReaderAsync().ConfigureAwait(false))
            {
                // The results stream back statement by statement; the transaction commits after the last one (at the Sync).
                // Reading a result never throws for a reason of its own: the caller interprets it once the batch is done.
                foreach (var write in batch)
                {
                    write.ReadResult(reader);
                    await reader.NextResultAsync().ConfigureAwait(false);
                }
            }

            Interlocked.Increment(ref _batches);
            foreach (var write in batch)
            {
                write.Complete();
            }

            return true;
        }
        catch (PostgresException)
        {
            // The server refused a statement, which aborts the implicit transaction: nothing of the batch was stored, so each
            // write runs again on its own and only the one at fault reports the error.
            return false;
        }
        catch (Exception ex)
        {
            // The connection failed: whether the batch committed is unknown, so no write is retried; each reports the error,
            // as it would have unbatched.
            foreach (var write in batch)
            {
                write.Fail(ex);
            }

            return true;
        }
    }

    private abstract class BatchedWrite(NpgsqlBatchCommand command)
    {
        public NpgsqlBatchCommand Command { get; } = command;

        public abstract void ReadResult(NpgsqlDataReader reader);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract Task RunAloneAsync();
    }

    private sealed class BatchedWrite<T>(NpgsqlBatchCommand command, Func<NpgsqlDataReader, T> read, Func<Task<T>> alone) : BatchedWrite(command)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void ReadResult(NpgsqlDataReader reader) => _result = read(reader);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        public override async Task RunAloneAsync()
        {
            try
            {
                _completion.TrySetResult(await alone().ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                _completion.TrySetException(ex);
            }
        }
    }
}
