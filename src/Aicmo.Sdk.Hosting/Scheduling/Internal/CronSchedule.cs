using System.Collections.Concurrent;
using Cronos;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>A parsed cron expression in its time zone. Cronos does the parsing and the daylight-saving rules.</summary>
/// <remarks>
/// Cronos fires an occurrence that falls in a skipped hour (spring forward) at the end of the gap, once; an occurrence in a
/// repeated hour (fall back) fires once, unless the expression is an interval over hours (an hourly job), which fires in both
/// offsets, so every hour of real time gets its fire.
/// </remarks>
internal sealed class CronSchedule
{
    private static readonly ConcurrentDictionary<(string Cron, string TimeZone), CronSchedule> Cache = new();
    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Parses and caches; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static CronSchedule Get(string cron, string timeZone) =>
        Cache.TryGetValue((cron, timeZone), out var cached) ? cached : Cache.GetOrAdd((cron, timeZone), static key => Parse(key.Cron, key.TimeZone));

    public static string? Validate(string? cron, string? timeZone)
    {
        try
        {
            Get(cron ?? "", timeZone ?? "");
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    public DateTimeOffset? NextAfter(DateTimeOffset instant) =>
        _expression.GetNextOccurrence(instant, Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>The occurrences in (<paramref name="after"/>, <paramref name="until"/>], in UTC.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until) =>
        after >= until ? [] : _expression.GetOccurrences(after, until, Zone, fromInclusive: false, toInclusive: true).Select(static o => o.ToUniversalTime());

    private static CronSchedule Parse(string cron, string timeZone)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            throw new ArgumentException("The cron expression is empty.", nameof(cron));
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new ArgumentException($"The time zone '{timeZone}' is not known; use an IANA id such as 'Europe/London'.", nameof(timeZone), ex);
        }

        var trimmed = cron.Trim();
        var format = !trimmed.StartsWith('@') && trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        try
        {
            return new CronSchedule(CronExpression.Parse(trimmed, format), zone);
        }
        catch (CronFormatException ex)
        {
            throw new ArgumentException($"The cron expression '{cron}' is invalid: {ex.Message}", nameof(cron), ex);
        }
    }
}
