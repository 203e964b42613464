using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Storage;

/// <summary>A thread-safe in-memory <see cref="ICampaignRepository"/>.</summary>
public sealed class InMemoryCampaignRepository : ICampaignRepository
{
    private readonly ConcurrentDictionary<string, Campaign> _campaigns = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken = default) =>
        new(_campaigns.TryGetValue(campaignId, out var c) ? c : null);

    /// <inheritdoc />
    public ValueTask<Campaign> GetOrAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return new(_campaigns.GetOrAdd(campaign.Id, campaign));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default) =>
        new(_campaigns.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList());

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return new(_campaigns.TryAdd(campaign.Id, campaign));
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(Campaign campaign, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        while (_campaigns.TryGetValue(campaign.Id, out var stored))
        {
            if (stored.Version != expectedVersion)
            {
                return new(false);
            }

            if (_campaigns.TryUpdate(campaign.Id, campaign, stored))
            {
                return new(true);
            }
        }

        return new(false);
    }
}
