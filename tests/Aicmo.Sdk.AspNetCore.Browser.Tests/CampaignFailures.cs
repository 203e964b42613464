using System.Collections.Concurrent;

namespace Aicmo.Sdk.AspNetCore.Browser.Tests;

/// <summary>The campaigns whose runs must fail: <see cref="FailingEnricher"/> stops their runs with a fatal error.</summary>
public sealed class CampaignFailures
{
    public ConcurrentDictionary<string, bool> Failing { get; } = new(StringComparer.Ordinal);
}
