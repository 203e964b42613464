using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Aicmo.Sdk.Nurture;

/// <summary>What one <see cref="NurtureService.ProcessDueAsync"/> pass did.</summary>
/// <param name="Examined">Leads whose next step was due.</param>
/// <param name="Sent">Steps sent (or recorded, in dry-run mode).</param>
/// <param name="Scheduled">Leads postponed (window, throttle) with a new due time.</param>
/// <param name="Stopped">Leads whose sequence ended.</param>
/// <param name="Suppressed">Leads found suppressed at send time.</param>
/// <param name="Rejected">Leads whose email could not be built.</param>
/// <param name="Conflicts">Leads changed by someone else meanwhile (skipped; the next pass sees them again).</param>
public sealed record NurtureBatchResult(int Examined, int Sent, int Scheduled, int Stopped, int Suppressed, int Rejected, int Conflicts)
{
    /// <summary>Gets how many leads' steps failed in this pass and stay due for a later one.</summary>
    public int Failed { get; init; }

    /// <summary>Gets how many leads were quarantined because their step failed too many passes in a row.</summary>
    public int Quarantined { get; init; }
}
