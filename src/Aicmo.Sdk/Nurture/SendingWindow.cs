using System.Collections.Concurrent;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// Finds when a recipient's sending window is open. Works on instants: each allowed local day's window is turned into a UTC
/// interval, so daylight-saving changes neither repeat a window (an ambiguous local time takes its earliest instant for the
/// start and its latest for the end) nor lose one (a start inside a skipped hour opens when the clock jumps).
/// </summary>
internal sealed class SendingWindow
{
    private readonly bool _enabled;
    private readonly bool[] _days = new bool[7];
    private readonly TimeSpan _start;
    private readonly TimeSpan _end;

    // The window of a local day in a zone, as instants, remembered per zone (by reference: two zones may share an id and
    // not their rules) and day. Working it out takes several adjustment-rule searches; most leads share a few zones and days.
    private const int IntervalsPerZone = 1_024;
    private readonly ConcurrentDictionary<TimeZoneInfo, ZoneDays> _intervals = new(ReferenceEqualityComparer.Instance);

    public SendingWindow(SendingWindowOptions options)
    {
        _enabled = options.Enabled;
        _start = options.Start;
        _end = options.End;
        var days = options.Days is { Count: > 0 } listed
            ? listed
            : [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
        foreach (var day in days)
        {
            _days[(int)day] = true;
        }
    }

    /// <summary>Returns <paramref name="now"/> when the window is open, otherwise the instant it next opens.</summary>
    public DateTimeOffset NextOpening(DateTimeOffset now, TimeZoneInfo zone)
    {
        if (!_enabled)
        {
            return now;
        }

        var localToday = TimeZoneInfo.ConvertTime(now, zone).Date;
        for (var d = -1; d <= 8; d++)
        {
            var date = localToday.AddDays(d);
            if (!_days[(int)date.DayOfWeek])
            {
                continue;
            }

            var (open, close) = CachedInterval(date, zone);
            if (close > now)
            {
                return open > now ? open : now;
            }
        }

        throw new InvalidOperationException("The sending window never opens; it needs at least one day.");
    }

    /// <summary>Returns whether the window is open at <paramref name="instant"/>.</summary>
    public bool IsOpen(DateTimeOffset instant, TimeZoneInfo zone) => NextOpening(instant, zone) == instant;

    private (DateTimeOffset Open, DateTimeOffset Close) CachedInterval(DateTime date, TimeZoneInfo zone)
    {
        var days = _intervals.GetOrAdd(zone, static _ => new ZoneDays());
        if (days.Intervals.TryGetValue(date, out var interval))
        {
            return interval;
        }

        interval = Interval(date, zone);
        if (Volatile.Read(ref days.Count) < IntervalsPerZone && days.Intervals.TryAdd(date, interval))
        {
            Interlocked.Increment(ref days.Count);
        }

        return interval;
    }

    private (DateTimeOffset Open, DateTimeOffset Close) Interval(DateTime date, TimeZoneInfo zone)
    {
        var open = ToInstant(date + _start, zone, earliest: true);
        var close = ToInstant(date + _end, zone, earliest: false);
        if (close <= open)
        {
            // The whole window fell into a skipped hour: keep its length from the moment the clock jumps.
            close = open + (_end - _start);
        }

        return (open, close);
    }

    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone, bool earliest)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Skipped by a spring-forward change: the window opens the instant the clock jumps, the end of the gap.
            var probe = local;
            while (zone.IsInvalidTime(probe))
            {
                probe = probe.AddMinutes(1);
            }

            return new DateTimeOffset(probe, zone.GetUtcOffset(probe));
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var offset = earliest ? offsets.Max() : offsets.Min();
            return new DateTimeOffset(local, offset);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private sealed class ZoneDays
    {
        public readonly ConcurrentDictionary<DateTime, (DateTimeOffset Open, DateTimeOffset Close)> Intervals = new();

        // ConcurrentDictionary.Count takes every lock; this counts the entries added instead.
        public int Count;
    }
}
