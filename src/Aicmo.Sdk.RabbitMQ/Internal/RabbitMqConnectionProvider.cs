using RabbitMQ.Client;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// The process's one connection to the broker, opened on first use. The client recovers it after a network failure or a
/// broker restart and declares again what was declared through it (queues, bindings, consumers).
/// </summary>
internal sealed class RabbitMqConnectionProvider(RabbitMqTransportOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private bool _disposed;

    public RabbitMqNames Names { get; } = new(options.QueuePrefix);

    public RabbitMqTransportOptions Options => options;

    public async ValueTask<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is not null)
        {
            return connection;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is null)
            {
                var factory = new ConnectionFactory
                {
                    Uri = options.Uri ?? throw new InvalidOperationException($"{nameof(RabbitMqTransportOptions)}.{nameof(RabbitMqTransportOptions.Uri)} is not set."),
                    AutomaticRecoveryEnabled = true,
                    TopologyRecoveryEnabled = true,
                    NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
                    ClientProvidedName = options.ClientProvidedName ?? $"aicmo:{Environment.MachineName}:{Environment.ProcessId}",
                };
                Volatile.Write(ref _connection, await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false));
            }

            return _connection!;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_connection is not null)
            {
                if (_connection.IsOpen)
                {
                    await _connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }

                _connection.Dispose();
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
