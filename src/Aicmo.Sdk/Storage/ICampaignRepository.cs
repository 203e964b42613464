using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>Stores campaigns.</summary>
public interface ICampaignRepository
{
    /// <summary>Gets a campaign.</summary>
    /// <param name="campaignId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The campaign, or <see langword="null"/>.</returns>
    ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken = default);

    /// <summary>Adds the campaign unless one with its id exists, and returns the stored one.</summary>
    /// <param name="campaign">The campaign.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored campaign (the existing one when it was already there).</returns>
    ValueTask<Campaign> GetOrAddAsync(Campaign campaign, CancellationToken cancellationToken = default);

    /// <summary>Lists every campaign.</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The campaigns, ordered by id.</returns>
    ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the campaign unless one with its id exists.</summary>
    /// <remarks>The default implementation throws <see cref="NotSupportedException"/>: a store that lets campaigns be edited implements it.</remarks>
    /// <param name="campaign">The campaign; its <see cref="Campaign.Version"/> is stored as is.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the id was already taken.</returns>
    ValueTask<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support adding campaigns with TryAddAsync.");

    /// <summary>Replaces a stored campaign if its stored version is still <paramref name="expectedVersion"/> (compare-and-set).</summary>
    /// <remarks>The default implementation throws <see cref="NotSupportedException"/>: a store that lets campaigns be edited implements it.</remarks>
    /// <param name="campaign">The new state of the campaign, with its new version.</param>
    /// <param name="expectedVersion">The version the caller last read.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when replaced; <see langword="false"/> when the campaign is missing or another writer got there first.</returns>
    ValueTask<bool> UpdateAsync(Campaign campaign, long expectedVersion, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support updating campaigns.");
}
