namespace Aicmo.Sdk.AspNetCore.Campaigns.Internal;

/// <summary>
/// Serializes campaign writes in this process, so the duplicate-name check and the write it guards are one step here. The store
/// enforces unique ids; names are checked only within one process (several API hosts on one store could race on a name).
/// </summary>
internal sealed class CampaignWriteGate : IDisposable
{
    public SemaphoreSlim Lock { get; } = new(1, 1);

    public void Dispose() => Lock.Dispose();
}
