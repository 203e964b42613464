using Aicmo.Sdk.Smtp.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Smtp.Inbox.Internal;

/// <summary>Runs <see cref="InboxReader.ProcessInboxAsync"/> every <see cref="InboxReaderOptions.PollInterval"/> while the host runs.</summary>
internal sealed class InboxReaderService(InboxReader reader, IOptions<InboxReaderOptions> options, TimeProvider timeProvider, ILogger<InboxReaderService>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RunInBackground)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await reader.ProcessInboxAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass (server down, store unavailable) must not end the loop; the next pass tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.InboxPassFailed(_logger, settings.Folder, ex);
            }

            try
            {
                await Task.Delay(settings.PollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
