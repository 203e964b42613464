using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Aicmo.Sdk.Smtp.Tests.Support;

/// <summary>How the test server's endpoint is protected.</summary>
public enum ServerTls
{
    None,
    StartTls,
    Implicit,
}

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port, recording what it accepts and answering RCPT and DATA with
/// replies a test injects.
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    public const string UserName = "sender@example.com";
    public const string Password = "s3cret-pass";

    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private int _activeSessions;
    private int _maxActiveSessions;
    private int _sessions;

    public LoopbackSmtpServer(ServerTls tls = ServerTls.StartTls, bool requireAuthentication = true)
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))
                    .IsSecure(tls == ServerTls.Implicit)
                    .AuthenticationRequired(requireAuthentication)
                    .AllowUnsecureAuthentication(tls == ServerTls.None);
                if (tls != ServerTls.None)
                {
                    e.Certificate(TestCertificates.Localhost);
                }
            })
            .Build();

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        services.Add(new DelegatingUserAuthenticator((user, password) => user == UserName && password == Password));
        _server = new SmtpServer.SmtpServer(options, services);
        _server.SessionCreated += (_, _) =>
        {
            Interlocked.Increment(ref _sessions);
            var active = Interlocked.Increment(ref _activeSessions);
            int max;
            while (active > (max = Volatile.Read(ref _maxActiveSessions)) && Interlocked.CompareExchange(ref _maxActiveSessions, active, max) != max)
            {
            }
        };
        _server.SessionCompleted += (_, _) => Interlocked.Decrement(ref _activeSessions);
        _server.SessionFaulted += (_, _) => Interlocked.Decrement(ref _activeSessions);
        _server.SessionCancelled += (_, _) => Interlocked.Decrement(ref _activeSessions);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Gets the messages accepted, in order, with how their session looked.</summary>
    public ConcurrentQueue<ReceivedMessage> Received { get; } = new();

    /// <summary>Gets or sets the reply to RCPT TO for an address, or null to accept it.</summary>
    public Func<string, SmtpResponse?>? RecipientReply { get; set; }

    /// <summary>Gets or sets the reply to the end of DATA, or null to accept the message.</summary>
    public Func<SmtpResponse?>? DataReply { get; set; }

    /// <summary>Gets or sets a delay before the server answers the end of DATA (to make sends overlap).</summary>
    public TimeSpan DataDelay { get; set; }

    public int Sessions => Volatile.Read(ref _sessions);

    public int MaxConcurrentSessions => Volatile.Read(ref _maxActiveSessions);

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>One accepted message.</summary>
    public sealed record ReceivedMessage(MimeMessage Message, string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, bool Secure, string? AuthenticatedUser);

    private sealed class Store(LoopbackSmtpServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (owner.DataDelay > TimeSpan.Zero)
            {
                await Task.Delay(owner.DataDelay, cancellationToken);
            }

            if (owner.DataReply?.Invoke() is { } reply)
            {
                return reply;
            }

            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            owner.Received.Enqueue(new ReceivedMessage(
                message,
                transaction.From.AsAddress(),
                transaction.To.Select(static t => t.AsAddress()).ToList(),
                context.Pipe.IsSecure,
                context.Authentication.IsAuthenticated ? context.Authentication.User : null));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(LoopbackSmtpServer owner) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox @from, CancellationToken cancellationToken)
        {
            if (owner.RecipientReply?.Invoke(to.AsAddress()) is { } reply)
            {
                throw new SmtpResponseException(reply);
            }

            return Task.FromResult(true);
        }
    }
}
