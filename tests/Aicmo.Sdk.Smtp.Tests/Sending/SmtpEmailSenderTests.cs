using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Smtp.Sending;
using Aicmo.Sdk.Smtp.Tests.Support;
using Aicmo.Sdk.Storage;
using MimeKit;
using Microsoft.Extensions.Options;
using SmtpServer.Protocol;

namespace Aicmo.Sdk.Smtp.Tests.Sending;

public sealed class SmtpEmailSenderTests
{
    private const string Domain = "mail.example.com";

    [Fact]
    public async Task StartTlsWithAuthentication_DeliversTheMessageWithItsHeaders()
    {
        await using var server = new LoopbackSmtpServer(ServerTls.StartTls);
        await using var sender = CreateSender(server.Port, MailConnectionSecurity.StartTls);
        var email = Email(Guid.NewGuid());

        var result = await sender.SendAsync(email, CancellationToken.None);

        var received = Assert.Single(server.Received);
        Assert.True(received.Secure);
        Assert.Equal(LoopbackSmtpServer.UserName, received.AuthenticatedUser);
        Assert.Equal("news@example.com", received.EnvelopeFrom);
        Assert.Equal(["ada@example.org"], received.EnvelopeTo);
        var message = received.Message;
        Assert.Equal(result.ProviderMessageId, message.MessageId);
        Assert.Equal("Hello Ada", message.Subject);
        Assert.Equal("Hi Ada,\nhow are things?", message.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal("<https://example.com/u/abc>", message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var from = Assert.IsType<MailboxAddress>(Assert.Single(message.From));
        Assert.Equal(("Example News", "news@example.com"), (from.Name, from.Address));
    }

    [Fact]
    public async Task EnvelopeFromAndReplyTo_SendBouncesAndRepliesToTheReadersMailbox()
    {
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port, configure: o =>
        {
            o.EnvelopeFrom = "bounces@example.com";
            o.ReplyTo = "replies@example.com";
        });

        await sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None);

        var received = Assert.Single(server.Received);
        Assert.Equal("bounces@example.com", received.EnvelopeFrom);
        Assert.Equal(["ada@example.org"], received.EnvelopeTo);
        Assert.Equal("replies@example.com", Assert.IsType<MailboxAddress>(Assert.Single(received.Message.ReplyTo)).Address);
        Assert.Equal("news@example.com", Assert.IsType<MailboxAddress>(Assert.Single(received.Message.From)).Address);
    }

    [Fact]
    public async Task ImplicitTls_DeliversTheMessage()
    {
        await using var server = new LoopbackSmtpServer(ServerTls.Implicit);
        await using var sender = CreateSender(server.Port, MailConnectionSecurity.ImplicitTls);

        await sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None);

        var received = Assert.Single(server.Received);
        Assert.True(received.Secure);
        Assert.Equal(LoopbackSmtpServer.UserName, received.AuthenticatedUser);
    }

    [Fact]
    public async Task SameStepSentTwice_CarriesTheSameMessageId()
    {
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port);
        var lead = Guid.NewGuid();

        var first = await sender.SendAsync(Email(lead, step: 2), CancellationToken.None);
        var again = await sender.SendAsync(Email(lead, step: 2) with { Subject = "Hello again" }, CancellationToken.None);
        var next = await sender.SendAsync(Email(lead, step: 3), CancellationToken.None);
        var otherLead = await sender.SendAsync(Email(Guid.NewGuid(), step: 2), CancellationToken.None);

        var ids = server.Received.Select(r => r.Message.MessageId).ToList();
        Assert.Equal([first.ProviderMessageId, again.ProviderMessageId, next.ProviderMessageId, otherLead.ProviderMessageId], ids);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(4 - 1, ids.Distinct().Count());
        Assert.EndsWith($".{lead:N}@{Domain}", ids[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecipientAnswered4xx_ThrowsTransientWithTheServerText()
    {
        await using var server = new LoopbackSmtpServer { RecipientReply = _ => new SmtpResponse((SmtpReplyCode)450, "Greylisted, try again later") };
        await using var sender = CreateSender(server.Port);

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask());

        Assert.Equal(EmailDeliveryFailure.Transient, error.Failure);
        Assert.Equal(450, error.StatusCode);
        Assert.Contains("Greylisted, try again later", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task RecipientAnswered550_ThrowsRecipientRejected()
    {
        await using var server = new LoopbackSmtpServer { RecipientReply = to => to == "ada@example.org" ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "No such user here") : null };
        await using var sender = CreateSender(server.Port);

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask());

        Assert.Equal(EmailDeliveryFailure.RecipientRejected, error.Failure);
        Assert.Equal(550, error.StatusCode);
        Assert.Contains("No such user here", error.Message, StringComparison.Ordinal);
        Assert.Contains("ada@example.org", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataAnswered554_ThrowsPermanentWithTheServerText()
    {
        await using var server = new LoopbackSmtpServer { DataReply = () => new SmtpResponse(SmtpReplyCode.TransactionFailed, "Message rejected as spam") };
        await using var sender = CreateSender(server.Port);

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask());

        Assert.Equal(EmailDeliveryFailure.Permanent, error.Failure);
        Assert.Equal(554, error.StatusCode);
        Assert.Contains("Message rejected as spam", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataAnswered451_ThrowsTransient_AndTheNextSendGoesThrough()
    {
        var refuse = true;
        await using var server = new LoopbackSmtpServer { DataReply = () => refuse ? new SmtpResponse((SmtpReplyCode)451, "Local error in processing") : null };
        await using var sender = CreateSender(server.Port);

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask());
        refuse = false;
        await sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None);

        Assert.Equal(EmailDeliveryFailure.Transient, error.Failure);
        Assert.Equal(451, error.StatusCode);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task ConnectionDroppedDuringData_ThrowsTransient_AndTheRetryUsesANewConnection()
    {
        await using var server = new LoopbackSmtpServer(ServerTls.None, requireAuthentication: false);
        await using var proxy = new DroppingTcpProxy(server.Port);
        await using var sender = CreateSender(proxy.Port, MailConnectionSecurity.None, authenticate: false);
        var email = Email(Guid.NewGuid());

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(email, CancellationToken.None).AsTask());
        var retry = await sender.SendAsync(email, CancellationToken.None);

        Assert.Equal(1, proxy.Dropped);
        Assert.Equal(EmailDeliveryFailure.Transient, error.Failure);
        Assert.Null(error.StatusCode);
        var received = Assert.Single(server.Received);
        Assert.Equal(retry.ProviderMessageId, received.Message.MessageId);
        Assert.Equal(2, sender.ConnectionsOpened);
    }

    [Fact]
    public async Task WrongPassword_ThrowsPermanent()
    {
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port, configure: o => o.Password = "wrong");

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask());

        Assert.Equal(EmailDeliveryFailure.Permanent, error.Failure);
        Assert.Contains("credentials", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task UntrustedServerCertificate_ThrowsPermanent_AndSendsNothing()
    {
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port, configure: o => o.ServerCertificateValidation = null);

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask());

        Assert.Equal(EmailDeliveryFailure.Permanent, error.Failure);
        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task ManyConcurrentSends_StayWithinMaxConnections_AndReuseThem()
    {
        await using var server = new LoopbackSmtpServer { DataDelay = TimeSpan.FromMilliseconds(20) };
        await using var sender = CreateSender(server.Port, configure: o => o.MaxConnections = 3);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask()));

        Assert.Equal(30, server.Received.Count);
        Assert.Equal(3, sender.ConnectionsOpened);
        Assert.Equal(3, server.Sessions);
        Assert.Equal(3, server.MaxConcurrentSessions);
    }

    [Fact]
    public async Task ConnectionThatCarriedItsLimit_IsReplaced()
    {
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port, configure: o => o.MaxMessagesPerConnection = 2);

        for (var i = 0; i < 5; i++)
        {
            await sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None);
        }

        Assert.Equal(5, server.Received.Count);
        Assert.Equal(3, sender.ConnectionsOpened);
    }

    [Fact]
    public async Task ConnectionIdleLongerThanTheIdleTimeout_IsReplaced()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port, configure: o => o.IdleTimeout = TimeSpan.FromSeconds(30), timeProvider: time);

        await sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        await sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(31));
        await sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None);

        Assert.Equal(3, server.Received.Count);
        Assert.Equal(2, sender.ConnectionsOpened);
    }

    [Fact]
    public async Task SendCancelledWhileWaitingForAConnection_ThrowsAndFreesNothingItDidNotTake()
    {
        await using var server = new LoopbackSmtpServer { DataDelay = TimeSpan.FromMilliseconds(500) };
        await using var sender = CreateSender(server.Port, configure: o => o.MaxConnections = 1);
        var busy = sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask();
        await Task.Delay(100);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sender.SendAsync(Email(Guid.NewGuid()), cancel.Token).AsTask());
        await busy;
        server.DataDelay = TimeSpan.Zero;
        await Task.WhenAll(sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask(), sender.SendAsync(Email(Guid.NewGuid()), CancellationToken.None).AsTask());

        Assert.Equal(3, server.Received.Count);
        Assert.Equal(1, server.MaxConcurrentSessions);
    }

    public static TheoryData<string, string> HostileValues => new()
    {
        { "subject", "Hello\u0085Bcc: victim@example.net" },
        { "subject", "Hello\u2028there" },
        { "subject", "Hello\u2029there" },
        { "subject", "Tab\there" },
        { "subject", "Escape\u001b[31m" },
        { "toName", "Ada\u0085Lovelace" },
        { "fromName", "News\u2028Desk" },
        { "header", "<https://example.com/u/abc>\u0085X-Evil: 1" },
    };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task HeaderValueWithAControlOrSeparatorCharacter_IsRefusedBeforeConnecting(string field, string value)
    {
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port);
        var email = Email(Guid.NewGuid());
        email = field switch
        {
            "subject" => email with { Subject = value },
            "toName" => email with { ToName = value },
            "fromName" => email with { FromName = value },
            _ => email with { Headers = new Dictionary<string, string> { ["List-Unsubscribe"] = value } },
        };

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(email, CancellationToken.None).AsTask());

        Assert.Equal(EmailDeliveryFailure.Permanent, error.Failure);
        Assert.Contains("control or line-separator character", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, sender.ConnectionsOpened);
        Assert.Empty(server.Received);
    }

    [Theory]
    [InlineData("Message-ID")]
    [InlineData("bcc")]
    [InlineData("X Bad")]
    public async Task ExtraHeaderThatTheTransportOwnsOrThatIsMalformed_IsRefused(string name)
    {
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port);
        var email = Email(Guid.NewGuid()) with { Headers = new Dictionary<string, string> { [name] = "<x@evil.example>" } };

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(email, CancellationToken.None).AsTask());

        Assert.Equal(EmailDeliveryFailure.Permanent, error.Failure);
        Assert.Empty(server.Received);
    }

    [Theory]
    [InlineData("Doe, John")]
    [InlineData("\"The Boss\" <boss@evil.example>")]
    [InlineData("Ada <ada@evil.example>, Eve")]
    [InlineData("Zoë \"Z\" Ünal")]
    public async Task DisplayNameWithQuotesCommasOrAngleBrackets_ArrivesAsOneMailboxWithThatName(string name)
    {
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port);

        await sender.SendAsync(Email(Guid.NewGuid()) with { ToName = name, FromName = name }, CancellationToken.None);

        var message = Assert.Single(server.Received).Message;
        var to = Assert.IsType<MailboxAddress>(Assert.Single(message.To));
        Assert.Equal((name, "ada@example.org"), (to.Name, to.Address));
        var from = Assert.IsType<MailboxAddress>(Assert.Single(message.From));
        Assert.Equal((name, "news@example.com"), (from.Name, from.Address));
        Assert.Equal(["ada@example.org"], Assert.Single(server.Received).EnvelopeTo);
    }

    [Fact]
    public async Task InvalidRecipientAddress_ThrowsPermanentWithoutConnecting()
    {
        await using var server = new LoopbackSmtpServer();
        await using var sender = CreateSender(server.Port);

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Email(Guid.NewGuid()) with { To = "not an address" }, CancellationToken.None).AsTask());

        Assert.Equal(EmailDeliveryFailure.Permanent, error.Failure);
        Assert.Equal(0, sender.ConnectionsOpened);
    }

    internal static EmailMessage Email(Guid lead, int step = 1) => new()
    {
        Key = new OutboxKey(lead, "welcome", step),
        FromAddress = "news@example.com",
        FromName = "Example News",
        To = "ada@example.org",
        ToName = "Ada Lovelace",
        Subject = "Hello Ada",
        Body = "Hi Ada,\nhow are things?",
        Headers = new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = "<https://example.com/u/abc>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        },
    };

    internal static SmtpEmailSender CreateSender(int port, MailConnectionSecurity security = MailConnectionSecurity.StartTls, bool authenticate = true, Action<SmtpSenderOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new SmtpSenderOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Security = security,
            UserName = authenticate ? LoopbackSmtpServer.UserName : null,
            Password = authenticate ? LoopbackSmtpServer.Password : null,
            MessageIdDomain = Domain,
            CheckCertificateRevocation = false,
            Timeout = TimeSpan.FromSeconds(10),
            ServerCertificateValidation = static (_, certificate, _, _) => certificate?.GetCertHashString() == TestCertificates.Localhost.GetCertHashString(),
        };
        configure?.Invoke(options);
        return new SmtpEmailSender(Options.Create(options), timeProvider ?? TimeProvider.System);
    }
}
