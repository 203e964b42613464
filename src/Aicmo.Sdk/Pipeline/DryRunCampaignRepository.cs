using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>The campaign store as a dry run sees it (<see cref="PipelineRunRequest.DryRun"/>): reads go to the real store, and a campaign is never added.</summary>
internal sealed class DryRunCampaignRepository(ICampaignRepository inner) : ICampaignRepository
{
    public ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken = default) => inner.GetAsync(campaignId, cancellationToken);

    public async ValueTask<Campaign> GetOrAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return await inner.GetAsync(campaign.Id, cancellationToken).ConfigureAwait(false) ?? campaign;
    }

    public ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
}
