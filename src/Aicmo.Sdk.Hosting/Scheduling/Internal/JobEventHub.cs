using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// The scheduler's <see cref="IJobEventStream"/>: each subscriber reads its own bounded channel, which drops its oldest event
/// when full, so a slow subscriber never holds up a job.
/// </summary>
internal sealed class JobEventHub(IOptions<SchedulerOptions> options) : IJobEventStream
{
    private readonly Lock _gate = new();
    private Channel<JobEvent>[] _subscribers = [];

    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    public void Publish(JobEvent jobEvent)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Writer.TryWrite(jobEvent);
        }
    }

    public async IAsyncEnumerable<JobEvent> SubscribeAsync(string? campaignId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Read here, not in the constructor: validating the options resolves the job kinds, which depend on this hub.
        var channel = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(options.Value.EventBufferSize)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
        }

        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var jobEvent))
                {
                    if (campaignId is null || string.Equals(jobEvent.CampaignId, campaignId, StringComparison.Ordinal))
                    {
                        yield return jobEvent;
                    }
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers = [.. _subscribers.Where(s => s != channel)];
            }
        }
    }
}
