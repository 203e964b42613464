using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// The scheduler's <see cref="IJobEventStream"/>: each subscriber reads its own bounded channel, which drops its oldest event
/// when full, so a slow subscriber never holds up a job.
/// </summary>
/// <remarks>
/// It takes no options itself: the job kinds depend on it, and validating the scheduler's options resolves the job kinds. The
/// scheduler sets <see cref="Capacity"/> from <see cref="SchedulerOptions.EventBufferSize"/> when it is created.
/// </remarks>
internal sealed class JobEventHub : IJobEventStream
{
    private readonly Lock _gate = new();
    private Channel<JobEvent>[] _subscribers = [];

    /// <summary>Gets or sets how many events a subscriber may fall behind; applies to later subscriptions.</summary>
    public int Capacity { get; set; } = 1024;

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
        var channel = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(Capacity)
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
