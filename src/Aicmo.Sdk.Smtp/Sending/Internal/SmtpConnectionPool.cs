using Aicmo.Sdk.Smtp.Internal;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Smtp.Sending.Internal;

/// <summary>
/// Keeps up to <see cref="SmtpSenderOptions.MaxConnections"/> SMTP connections and lends each to one send at a time: the size
/// of the pool is the bound on concurrent sends. A connection that failed is never lent again; one that has been idle too long
/// or carried <see cref="SmtpSenderOptions.MaxMessagesPerConnection"/> messages is closed with QUIT.
/// </summary>
internal sealed class SmtpConnectionPool : IAsyncDisposable
{
    private readonly SmtpSenderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly Stack<PooledSmtpConnection> _idle = new();
    private readonly Lock _gate = new();
    private bool _disposed;
    private int _opened;

    public SmtpConnectionPool(SmtpSenderOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
    }

    /// <summary>Gets how many connections were opened since the pool was created.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _opened);

    /// <summary>Waits for a free slot and returns an open connection; give it back with <see cref="Return"/>.</summary>
    public async ValueTask<PooledSmtpConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (TakeIdle() is { } idle)
            {
                if (IsReusable(idle))
                {
                    return idle;
                }

                await CloseAsync(idle).ConfigureAwait(false);
            }

            return await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Gives a connection back: kept for the next send when <paramref name="healthy"/>, closed otherwise.</summary>
    public void Return(PooledSmtpConnection connection, bool healthy)
    {
        connection.LastUsedAt = _time.GetTimestamp();
        var keep = healthy && connection.Client.IsConnected && connection.MessagesSent < _options.MaxMessagesPerConnection;
        if (keep)
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _idle.Push(connection);
                    connection = null!;
                }
            }
        }

        if (connection is not null)
        {
            if (!healthy)
            {
                Log.ConnectionDiscarded(_logger, _options.Host, _options.Port);
                connection.Dispose();
            }
            else
            {
                // Used up, not broken: say goodbye without holding the caller.
                _ = CloseAsync(connection);
            }
        }

        _slots.Release();
    }

    public async ValueTask DisposeAsync()
    {
        PooledSmtpConnection[] idle;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var connection in idle)
        {
            await CloseAsync(connection).ConfigureAwait(false);
        }
    }

    private PooledSmtpConnection? TakeIdle()
    {
        lock (_gate)
        {
            return _idle.TryPop(out var connection) ? connection : null;
        }
    }

    private bool IsReusable(PooledSmtpConnection connection) =>
        connection.Client.IsConnected && _time.GetElapsedTime(connection.LastUsedAt) < _options.IdleTimeout;

    private async ValueTask<PooledSmtpConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient
        {
            Timeout = (int)_options.Timeout.TotalMilliseconds,
            CheckCertificateRevocation = _options.CheckCertificateRevocation,
        };
        if (_options.ServerCertificateValidation is { } validate)
        {
            client.ServerCertificateValidationCallback = validate;
        }

        if (!string.IsNullOrEmpty(_options.LocalDomain))
        {
            client.LocalDomain = _options.LocalDomain;
        }

        try
        {
            await client.ConnectAsync(_options.Host, _options.Port, MailSecurityOptions.ToSocketOptions(_options.Security), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        Interlocked.Increment(ref _opened);
        Log.ConnectionOpened(_logger, _options.Host, _options.Port, client.IsSecure);
        return new PooledSmtpConnection(client, _time.GetTimestamp());
    }

    private static async Task CloseAsync(PooledSmtpConnection connection)
    {
        try
        {
            if (connection.Client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await connection.Client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A connection being closed may fail in any way; it is dropped either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            connection.Dispose();
        }
    }
}
