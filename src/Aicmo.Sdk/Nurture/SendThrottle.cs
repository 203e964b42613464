using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// Rolling-window send limits per sending mailbox and per recipient domain. A send either takes a slot in every window it
/// counts against, or gets the earliest instant at which all of them have room again; nothing is ever refused outright.
/// </summary>
/// <remarks>
/// Thread-safe. Given <see cref="ILimitCounters"/>, the counts live there (in the store, shared by every process on it, or in
/// the in-memory counters of the container) and <see cref="TryAcquireAsync"/> asks them; otherwise they live in memory, for one
/// nurturer instance. Memory stays bounded in a host that runs for months: a key
/// keeps only the sends inside the longest window that has a limit (never more than that limit), and keys with none left are
/// forgotten by a sweep that runs at most once per window and whenever the number of keys has doubled since the last one, so
/// a sweep costs O(1) per send, amortized. A forgotten key had no send inside any window, so forgetting it changes no answer.
/// </remarks>
internal sealed class SendThrottle(EmailNurturerOptions options, ILimitCounters? shared = null)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);
    private readonly object _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _domains = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;
    private int _keysAfterSweep;

    public bool Enabled { get; } = options.MaxPerMailboxPerHour > 0 || options.MaxPerMailboxPerDay > 0 ||
                                   options.MaxPerRecipientDomainPerHour > 0 || options.MaxPerRecipientDomainPerDay > 0;

    // Sends older than the longest window with a limit count against nothing.
    private readonly TimeSpan _window = options.MaxPerMailboxPerDay > 0 || options.MaxPerRecipientDomainPerDay > 0 ? Day : Hour;

    /// <summary>Gets how many mailboxes and recipient domains are tracked (for tests of the bound).</summary>
    internal int TrackedKeys
    {
        get
        {
            lock (_gate)
            {
                return _mailboxes.Count + _domains.Count;
            }
        }
    }

    /// <summary>
    /// Takes a slot at <paramref name="now"/> in the shared counters when there are any (keys <c>nurture/mailbox/{address}</c>
    /// and <c>nurture/domain/{domain}</c>, lower case), else in memory; or returns when one frees up and which limit was hit.
    /// </summary>
    public async ValueTask<(bool Acquired, DateTimeOffset RetryAt, string? Limit)> TryAcquireAsync(string mailbox, string recipientDomain, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (shared is null || !Enabled)
        {
            return TryAcquire(mailbox, recipientDomain, now);
        }

        var limits = new List<RollingLimit>(4);
        var kinds = new List<Limit>(4);
        var box = "nurture/mailbox/" + mailbox.ToLowerInvariant();
        var domain = "nurture/domain/" + recipientDomain.ToLowerInvariant();
        Add(box, options.MaxPerMailboxPerHour, Hour, Limit.MailboxPerHour);
        Add(box, options.MaxPerMailboxPerDay, Day, Limit.MailboxPerDay);
        Add(domain, options.MaxPerRecipientDomainPerHour, Hour, Limit.DomainPerHour);
        Add(domain, options.MaxPerRecipientDomainPerDay, Day, Limit.DomainPerDay);
        var outcome = await shared.TryTakeAsync(limits.ToArray(), now, cancellationToken).ConfigureAwait(false);
        return outcome.Taken ? (true, now, null) : (false, outcome.RetryAt, Describe(kinds[outcome.Exceeded], mailbox, recipientDomain));

        void Add(string key, int max, TimeSpan window, Limit kind)
        {
            if (max > 0)
            {
                limits.Add(new RollingLimit(key, max, window));
                kinds.Add(kind);
            }
        }
    }

    /// <summary>Takes a slot at <paramref name="now"/>, or returns when one frees up and which limit was hit.</summary>
    public (bool Acquired, DateTimeOffset RetryAt, string? Limit) TryAcquire(string mailbox, string recipientDomain, DateTimeOffset now)
    {
        if (!Enabled)
        {
            return (true, now, null);
        }

        lock (_gate)
        {
            SweepIfDue(now);
            var box = Get(_mailboxes, mailbox, now, _window);
            var domain = Get(_domains, recipientDomain, now, _window);
            var retryAt = now;
            var limit = Limit.None;
            Check(box, options.MaxPerMailboxPerHour, Hour, Limit.MailboxPerHour, now, ref retryAt, ref limit);
            Check(box, options.MaxPerMailboxPerDay, Day, Limit.MailboxPerDay, now, ref retryAt, ref limit);
            Check(domain, options.MaxPerRecipientDomainPerHour, Hour, Limit.DomainPerHour, now, ref retryAt, ref limit);
            Check(domain, options.MaxPerRecipientDomainPerDay, Day, Limit.DomainPerDay, now, ref retryAt, ref limit);
            if (limit != Limit.None)
            {
                return (false, retryAt, Describe(limit, mailbox, recipientDomain));
            }

            box.Enqueue(now);
            domain.Enqueue(now);
            return (true, now, null);
        }
    }

    private static void Check(Queue<DateTimeOffset> sends, int max, TimeSpan window, Limit which, DateTimeOffset now, ref DateTimeOffset retryAt, ref Limit limit)
    {
        if (max <= 0 || sends.Count < max)
        {
            return;
        }

        // The window ending now holds the sends after now - window; the slot frees when the max-th newest leaves it.
        // Counted, then walked to, in place: no copy of the queue while the lock is held.
        var start = now - window;
        var inWindow = 0;
        foreach (var t in sends)
        {
            if (t > start)
            {
                inWindow++;
            }
        }

        if (inWindow < max)
        {
            return;
        }

        var target = inWindow - max;
        var index = 0;
        foreach (var t in sends)
        {
            if (t > start && index++ == target)
            {
                var frees = t + window;
                if (frees > retryAt)
                {
                    retryAt = frees;
                    limit = which;
                }

                return;
            }
        }
    }

    private string Describe(Limit limit, string mailbox, string recipientDomain) => limit switch
    {
        Limit.MailboxPerHour => $"mailbox {mailbox} reached {options.MaxPerMailboxPerHour} sends per hour",
        Limit.MailboxPerDay => $"mailbox {mailbox} reached {options.MaxPerMailboxPerDay} sends per 24 hours",
        Limit.DomainPerHour => $"domain {recipientDomain} reached {options.MaxPerRecipientDomainPerHour} sends per hour",
        _ => $"domain {recipientDomain} reached {options.MaxPerRecipientDomainPerDay} sends per 24 hours",
    };

    private enum Limit
    {
        None,
        MailboxPerHour,
        MailboxPerDay,
        DomainPerHour,
        DomainPerDay,
    }

    private static Queue<DateTimeOffset> Get(Dictionary<string, Queue<DateTimeOffset>> map, string key, DateTimeOffset now, TimeSpan window)
    {
        if (!map.TryGetValue(key, out var queue))
        {
            queue = new Queue<DateTimeOffset>();
            map[key] = queue;
        }

        Trim(queue, now, window);
        return queue;
    }

    // Nothing older than the longest window matters any more.
    private static void Trim(Queue<DateTimeOffset> queue, DateTimeOffset now, TimeSpan window)
    {
        while (queue.TryPeek(out var oldest) && oldest <= now - window)
        {
            queue.Dequeue();
        }
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        var keys = _mailboxes.Count + _domains.Count;
        if (now - _lastSweep < _window && keys < Math.Max(1024, _keysAfterSweep * 2))
        {
            return;
        }

        Sweep(_mailboxes, now, _window);
        Sweep(_domains, now, _window);
        _lastSweep = now;
        _keysAfterSweep = _mailboxes.Count + _domains.Count;
    }

    private static void Sweep(Dictionary<string, Queue<DateTimeOffset>> map, DateTimeOffset now, TimeSpan window)
    {
        foreach (var (key, queue) in map)
        {
            Trim(queue, now, window);
            if (queue.Count == 0)
            {
                // Removing the current entry while enumerating is allowed for Dictionary<TKey, TValue> since .NET Core 3.0.
                map.Remove(key);
            }
        }
    }
}
