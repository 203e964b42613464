using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>Stores pipeline runs and their per-stage checkpoints.</summary>
public interface IRunRepository
{
    /// <summary>
    /// Records a run, adding it or replacing the stored record with the same id, except that a stored
    /// <see cref="RunRecord.TakenOverBy"/> is kept: once a run is taken over it stays taken over, whatever its own process writes later.
    /// </summary>
    /// <remarks>A running run saves its record about once a second (its heartbeat); the result tells it whether it still holds its run.</remarks>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>
    /// <see langword="true"/> when the record is stored as given; <see langword="false"/> when the stored record had been taken over by
    /// another run than <paramref name="run"/> names (it is stored with that <see cref="RunRecord.TakenOverBy"/> kept).
    /// </returns>
    ValueTask<bool> SaveAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes over an interrupted run for <paramref name="takerRunId"/>, atomically: sets <see cref="RunRecord.TakenOverBy"/> (and
    /// <see cref="RunRecord.UpdatedAt"/>) only when, at the moment of the write, the stored run is not taken over and is interrupted
    /// (<see cref="RunRecord.IsInterrupted"/>). Of several runs trying at once, exactly one wins; a heartbeat stored before the
    /// write makes it fail.
    /// </summary>
    /// <param name="runId">The interrupted run.</param>
    /// <param name="takerRunId">The run that takes over its unfinished leads.</param>
    /// <param name="staleBefore">A run record left running and last written before this time belongs to a process that died.</param>
    /// <param name="now">The time to record as the record's last write.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when <paramref name="takerRunId"/> took the run over; otherwise <see langword="false"/>.</returns>
    ValueTask<bool> TryTakeOverAsync(Guid runId, Guid takerRunId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gets a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The run, or <see langword="null"/>.</returns>
    ValueTask<RunRecord?> GetAsync(Guid runId, CancellationToken cancellationToken = default);

    /// <summary>Lists a campaign's runs, newest first.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The runs.</returns>
    ValueTask<IReadOnlyList<RunRecord>> ListAsync(string campaignId, CancellationToken cancellationToken = default);
}
