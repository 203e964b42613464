namespace Aicmo.Sdk.Nurture;

/// <summary>
/// Rolling-window send limits per sending mailbox and per recipient domain. A send either takes a slot in every window it
/// counts against, or gets the earliest instant at which all of them have room again; nothing is ever refused outright.
/// </summary>
/// <remarks>Thread-safe; counts live in memory, for one nurturer instance.</remarks>
internal sealed class SendThrottle(EmailNurturerOptions options)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);
    private readonly object _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _domains = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled { get; } = options.MaxPerMailboxPerHour > 0 || options.MaxPerMailboxPerDay > 0 ||
                                   options.MaxPerRecipientDomainPerHour > 0 || options.MaxPerRecipientDomainPerDay > 0;

    /// <summary>Takes a slot at <paramref name="now"/>, or returns when one frees up and which limit was hit.</summary>
    public (bool Acquired, DateTimeOffset RetryAt, string? Limit) TryAcquire(string mailbox, string recipientDomain, DateTimeOffset now)
    {
        if (!Enabled)
        {
            return (true, now, null);
        }

        lock (_gate)
        {
            var box = Get(_mailboxes, mailbox, now);
            var domain = Get(_domains, recipientDomain, now);
            var retryAt = now;
            string? limit = null;
            Check(box, options.MaxPerMailboxPerHour, Hour, $"mailbox {mailbox} reached {options.MaxPerMailboxPerHour} sends per hour");
            Check(box, options.MaxPerMailboxPerDay, Day, $"mailbox {mailbox} reached {options.MaxPerMailboxPerDay} sends per 24 hours");
            Check(domain, options.MaxPerRecipientDomainPerHour, Hour, $"domain {recipientDomain} reached {options.MaxPerRecipientDomainPerHour} sends per hour");
            Check(domain, options.MaxPerRecipientDomainPerDay, Day, $"domain {recipientDomain} reached {options.MaxPerRecipientDomainPerDay} sends per 24 hours");
            if (limit is not null)
            {
                return (false, retryAt, limit);
            }

            box.Enqueue(now);
            domain.Enqueue(now);
            return (true, now, null);

            void Check(Queue<DateTimeOffset> sends, int max, TimeSpan window, string description)
            {
                if (max <= 0)
                {
                    return;
                }

                // The window ending now holds the sends after now - window; the slot frees when the max-th newest leaves it.
                var inWindow = sends.Where(t => t > now - window).ToArray();
                if (inWindow.Length < max)
                {
                    return;
                }

                var frees = inWindow[inWindow.Length - max] + window;
                if (frees > retryAt)
                {
                    retryAt = frees;
                    limit = description;
                }
            }
        }
    }

    private static Queue<DateTimeOffset> Get(Dictionary<string, Queue<DateTimeOffset>> map, string key, DateTimeOffset now)
    {
        if (!map.TryGetValue(key, out var queue))
        {
            queue = new Queue<DateTimeOffset>();
            map[key] = queue;
        }

        // Nothing older than the longest window matters any more.
        while (queue.TryPeek(out var oldest) && oldest <= now - Day)
        {
            queue.Dequeue();
        }

        return queue;
    }
}
