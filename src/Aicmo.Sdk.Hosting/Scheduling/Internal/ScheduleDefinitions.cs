using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>The schedules defined in code or configuration, brought into the job store at start.</summary>
internal static class ScheduleDefinitions
{
    /// <summary>Adds the definitions the store lacks and updates those whose definition changed, each with a compare-and-set.</summary>
    public static async Task SyncAsync(IJobStore store, IEnumerable<JobSchedule> definitions, ILogger logger, CancellationToken cancellationToken)
    {
        var now = await store.GetUtcNowAsync(cancellationToken).ConfigureAwait(false);
        foreach (var definition in definitions)
        {
            while (true)
            {
                var stored = await store.GetScheduleAsync(definition.Id, cancellationToken).ConfigureAwait(false);
                if (stored is null)
                {
                    var added = ScheduleManager.WithNextFire(definition, now) with { Version = 1, UpdatedAt = now };
                    if (await store.TryAddScheduleAsync(added, cancellationToken).ConfigureAwait(false))
                    {
                        SchedulerLog.ScheduleAdded(logger, added.Id, added.JobKind, added.CampaignId, added.NextFireAt);
                        break;
                    }

                    continue;
                }

                if (DefinitionOf(stored) == DefinitionOf(definition))
                {
                    break;
                }

                // The definition changed since it was stored: its occurrences are computed again from now. Pausing is a run-time
                // decision, so the stored state wins over the definition's.
                var changed = ScheduleManager.WithNextFire(definition with { Enabled = stored.Enabled }, now) with { Version = stored.Version + 1, UpdatedAt = now };
                if (await store.UpdateScheduleAsync(changed, stored.Version, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
    }

    private static JobSchedule DefinitionOf(JobSchedule schedule) =>
        schedule with { Enabled = true, NextFireAt = null, Version = 0, UpdatedAt = default };
}
