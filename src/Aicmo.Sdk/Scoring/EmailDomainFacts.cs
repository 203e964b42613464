using System.Collections.Concurrent;

namespace Aicmo.Sdk.Scoring;

/// <summary>
/// Whether an email domain (or a parent domain) is free mail or disposable, remembered per domain: the scorer and the
/// qualifier both ask for every lead, and each answer otherwise walks the domain's parents through two large sets.
/// </summary>
internal static class EmailDomainFacts
{
    private const int CacheCapacity = 16_384;
    private const byte FreeMailFlag = 1;
    private const byte DisposableFlag = 2;
    private static readonly ConcurrentDictionary<string, byte> Cache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte>.AlternateLookup<ReadOnlySpan<char>> Lookup = Cache.GetAlternateLookup<ReadOnlySpan<char>>();
    private static int s_cached;

    /// <summary>Returns <see cref="EmailDomains.ContainsDomainOrParent"/> of <see cref="EmailDomains.FreeMail"/>.</summary>
    public static bool IsFreeMail(ReadOnlySpan<char> domain) => (Of(domain) & FreeMailFlag) != 0;

    /// <summary>Returns <see cref="EmailDomains.ContainsDomainOrParent"/> of <see cref="EmailDomains.Disposable"/>.</summary>
    public static bool IsDisposable(ReadOnlySpan<char> domain) => (Of(domain) & DisposableFlag) != 0;

    private static byte Of(ReadOnlySpan<char> domain)
    {
        if (Lookup.TryGetValue(domain, out var flags))
        {
            return flags;
        }

        flags = (byte)((EmailDomains.ContainsDomainOrParent(EmailDomains.FreeMail, domain) ? FreeMailFlag : 0) |
                       (EmailDomains.ContainsDomainOrParent(EmailDomains.Disposable, domain) ? DisposableFlag : 0));

        // ConcurrentDictionary.Count takes every lock; a counter of our own is enough to bound the cache.
        if (Volatile.Read(ref s_cached) < CacheCapacity && Lookup.TryAdd(domain, flags))
        {
            Interlocked.Increment(ref s_cached);
        }

        return flags;
    }
}
