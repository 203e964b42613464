using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// Keeps a running job's lease: renews it every <see cref="SchedulerOptions.LeaseRenewInterval"/> and when the job reports its
/// run, and cancels the job once the store gave the lease to someone else.
/// </summary>
internal sealed class LeaseRenewal(IJobStore store, SchedulerOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>Renews the lease until <paramref name="job"/> is cancelled or the lease is lost.</summary>
    public async Task RunAsync(LeaseHolder holder, CancellationTokenSource job)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.LeaseRenewInterval, time, job.Token).ConfigureAwait(false);
                await RenewOnceAsync(holder, job, null, job.Token).ConfigureAwait(false);
                if (holder.Lost)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Renews the lease once, recording <paramref name="runId"/> on it when given (so a host that resumes the job after this one
    /// died knows the run); a store that cannot be reached is tried again at the next renewal.
    /// </summary>
    public async Task RenewOnceAsync(LeaseHolder holder, CancellationTokenSource job, Guid? runId, CancellationToken cancellationToken)
    {
        JobLease? renewed;
        try
        {
            renewed = await store.RenewLeaseAsync(holder.Lease, options.LeaseDuration, runId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store that cannot be reached now may be back before the lease runs out; the next renewal tries again.
            SchedulerLog.TickFailed(logger, ex);
            return;
        }

        if (renewed is null)
        {
            holder.Lost = true;
            SchedulerLog.LeaseLost(logger, holder.Lease.JobKind, holder.Lease.CampaignId, holder.Lease.FencingToken);
            await job.CancelAsync().ConfigureAwait(false);
            return;
        }

        holder.Lease = renewed;
    }
}
