using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// <see cref="TimeZoneInfo.TryFindSystemTimeZoneById"/> remembered per id. The framework caches only the zones it found and
/// takes a lock on every lookup; an id it does not know is searched for on disk every time. Leads carry a handful of
/// distinct ids, so the engines that read a lead's zone ask here instead.
/// </summary>
internal static class TimeZoneLookup
{
    private const int CacheCapacity = 4_096;
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Cache = new(StringComparer.Ordinal);
    private static int s_cached;

    /// <summary>Finds a system time zone by id, like <see cref="TimeZoneInfo.TryFindSystemTimeZoneById"/>.</summary>
    public static bool TryFind(string id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        if (!Cache.TryGetValue(id, out zone))
        {
            zone = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) ? found : null;
            // ConcurrentDictionary.Count takes every lock; a counter of our own is enough to bound the cache.
            if (Volatile.Read(ref s_cached) < CacheCapacity && Cache.TryAdd(id, zone))
            {
                Interlocked.Increment(ref s_cached);
            }
        }

        return zone is not null;
    }

    /// <summary>Returns whether the id names a system time zone.</summary>
    public static bool IsKnown(string id) => TryFind(id, out _);
}
