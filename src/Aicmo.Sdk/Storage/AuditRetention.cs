using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Storage;

/// <summary>
/// Applies <see cref="AuditRetentionOptions"/>: deletes the old events of closed trails, so that a campaign that runs for months
/// keeps a bounded trail per finished lead (its last event always stays).
/// </summary>
/// <remarks>
/// Nothing runs it on its own: call <see cref="PruneAsync"/> from a job of the host (daily is plenty; a run of
/// <c>Aicmo.Sdk.Hosting</c>'s scheduler, a cron job, or a hosted service's timer). It is safe to run while runs and nurture passes
/// are writing: only leads in a closing state lose events, and a lead that moves on afterwards continues its trail after the
/// last event, which is never deleted.
/// </remarks>
public sealed class AuditRetention
{
    private readonly IAuditLog _audit;
    private readonly AuditRetentionOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="AuditRetention"/> class.</summary>
    /// <param name="audit">The audit log.</param>
    /// <param name="options">The retention options, validated when the host starts.</param>
    /// <param name="time">The clock.</param>
    public AuditRetention(IAuditLog audit, IOptions<AuditRetentionOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _audit = audit;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Deletes the events older than <see cref="AuditRetentionOptions.Retention"/> of closed trails; does nothing when it is not set.</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many events were deleted.</returns>
    public async ValueTask<long> PruneAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Retention is not { } retention)
        {
            return 0;
        }

        var states = _options.ClosingStates.ToArray();
        return await _audit.PruneAsync(_time.GetUtcNow() - retention, states, cancellationToken).ConfigureAwait(false);
    }
}
