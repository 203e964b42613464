using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Sockets;
using Aicmo.Sdk.Smtp.Inbox.Internal;
using Aicmo.Sdk.Smtp.Tests.Support;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Smtp.Tests.Inbox;

public sealed class InboxReaderServiceTests
{
    [Fact]
    public async Task PassThatFails_IsLogged_AndTheNextPassRunsAfterThePollInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new RecordingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.AddProvider(logs));
        services.AddAicmoPipeline().AddInboxReader(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = ClosedPort();
            o.Security = Aicmo.Sdk.Smtp.MailConnectionSecurity.None;
            o.UserName = "replies@example.com";
            o.Password = "secret";
            o.MessageIdDomain = "mail.example.com";
            o.PollInterval = TimeSpan.FromMinutes(1);
        });
        await using var provider = services.BuildServiceProvider();
        var service = provider.GetServices<IHostedService>().OfType<InboxReaderService>().Single();

        await service.StartAsync(CancellationToken.None);
        await WaitForFailuresAsync(logs, 1, null);
        await Task.Delay(200);
        Assert.Equal(1, logs.Entries.Count(e => e.Id.Id == 7011));

        // Advanced while waiting: the service may not have started its delay yet when the first failure is seen.
        await WaitForFailuresAsync(logs, 2, () => time.Advance(TimeSpan.FromMinutes(1)));
        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
        Assert.All(logs.Entries.Where(e => e.Id.Id == 7011), e => Assert.NotNull(e.Exception));
    }

    private static async Task WaitForFailuresAsync(RecordingLoggerProvider logs, int count, Action? meanwhile)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (logs.Entries.Count(e => e.Id.Id == 7011) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Fewer than {count} failed passes were logged within 15 seconds.");
            meanwhile?.Invoke();
            await Task.Delay(20);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
