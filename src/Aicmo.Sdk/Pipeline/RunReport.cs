using System.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The run's counts and errors, and what is built from them: progress snapshots, the run record and the
/// <see cref="PipelineRunResult"/>. The only owner of the counts that must balance: every pending lead is counted through
/// <see cref="CountPending"/>, every error through <see cref="AddError"/>.
/// </summary>
internal sealed class RunReport
{
    /// <summary>The <see cref="PipelineError.Stage"/> of the error that reports failed checkpoints.</summary>
    public const string Checkpoint = "checkpoint";

    private readonly List<PipelineError> _errors = [];
    private readonly Func<int, int> _depth;
    private readonly Guid _runId;
    private readonly string _campaignId;
    private readonly long? _maxLeads;
    private readonly PipelineRunRequest _request;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly bool _backlog;
    private readonly TimeProvider _time;
    private long _resumed;
    private long _unstored;
    private volatile bool _harvestCutShort;
    private long _checkpointFailures;
    private Exception? _checkpointError;

    /// <param name="runId">The run.</param>
    /// <param name="request">The run's request: campaign, limit, kind, dry run, kept in its record.</param>
    /// <param name="parameters">The run's parameters, kept in its record.</param>
    /// <param name="backlog">Whether the run is a backlog run: the leads it fed are selected, not resumed.</param>
    /// <param name="stageNames">The lead stages after dedup, in order.</param>
    /// <param name="depth">The number of items queued in front of a slot: 0 for dedup, i + 1 for lead stage i.</param>
    /// <param name="time">The clock of the run's timestamps.</param>
    public RunReport(
        Guid runId, PipelineRunRequest request, IReadOnlyDictionary<string, string> parameters, bool backlog, IReadOnlyList<string> stageNames, Func<int, int> depth, TimeProvider time)
    {
        _runId = runId;
        _request = request;
        _parameters = parameters;
        _backlog = backlog;
        _campaignId = request.CampaignId;
        _maxLeads = request.MaxLeads;
        _depth = depth;
        _time = time;
        Stages = new StageCounters[stageNames.Count];
        for (var i = 0; i < Stages.Length; i++)
        {
            Stages[i] = new StageCounters(stageNames[i]);
        }

        StartTimestamp = Stopwatch.GetTimestamp();
        StartedAt = time.GetUtcNow();
    }

    /// <summary>Gets the harvest's counters (one block per source).</summary>
    public StageCounters Harvest { get; } = new(StageNames.Harvest);

    /// <summary>Gets the dedup stage's counters.</summary>
    public StageCounters Dedup { get; } = new(StageNames.Dedup);

    /// <summary>Gets the counters of each lead stage after dedup, in order.</summary>
    public StageCounters[] Stages { get; }

    public long StartTimestamp { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets whether a failure fails the run: a fatal error, or leads whose state could not be stored.</summary>
    public bool CheckpointFailed => Volatile.Read(ref _checkpointFailures) > 0;

    /// <summary>Counts leads that stay where they are, stored in the state they reached, for a later run to resume.</summary>
    public void CountPending(StageCounters stage, long count)
    {
        if (count != 0)
        {
            stage.AddPending(count);
        }
    }

    /// <summary>Counts leads of a resumed run (or selected by a backlog run) that entered, or were meant to enter, the stages.</summary>
    public void CountResumed(long count) => Interlocked.Add(ref _resumed, count);

    /// <summary>
    /// Counts candidates left pending that were never stored (still queued for the dedup stage when the run stopped): a tally
    /// from the store (<see cref="RunTally"/>) cannot see them.
    /// </summary>
    public void CountUnstored(long count) => Interlocked.Add(ref _unstored, count);

    /// <summary>Notes that the sources stopped before they were done (the run was cancelled).</summary>
    public void HarvestCutShort() => _harvestCutShort = true;

    public void AddError(PipelineError error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    /// <summary>Records that the state of <paramref name="leads"/> leads could not be stored even after retries: the run fails.</summary>
    public void AddCheckpointFailure(int leads, Exception exception)
    {
        Interlocked.CompareExchange(ref _checkpointError, exception, null);
        Interlocked.Add(ref _checkpointFailures, leads);
    }

    public List<StageStatistics> Snapshot()
    {
        var list = new List<StageStatistics>(Stages.Length + 2)
        {
            Harvest.Snapshot(StartTimestamp, 0),
            Dedup.Snapshot(StartTimestamp, _depth(0)),
        };
        for (var i = 0; i < Stages.Length; i++)
        {
            list.Add(Stages[i].Snapshot(StartTimestamp, _depth(i + 1)));
        }

        return list;
    }

    public PipelineProgress Progress()
    {
        var stages = Snapshot();
        return new(_runId, Stopwatch.GetElapsedTime(StartTimestamp), stages[0].Out, stages[1].Duplicates, stages);
    }

    /// <param name="cancelled">Whether the run was asked to stop.</param>
    /// <param name="fatal">Whether a fatal error stopped the run.</param>
    /// <param name="tally">The run's outcomes and pending leads as the store holds them, for a run whose stages other processes
    /// worked on: they replace the counted totals (the stages' own statistics stay as counted and reported).</param>
    public PipelineRunResult BuildResult(bool cancelled, bool fatal, RunTally? tally = null)
    {
        var stages = Snapshot();
        long disqualified = 0, review = 0, routed = 0, contacted = 0, suppressed = 0, quarantined = 0, pending = 0, stored = 0;
        foreach (var s in stages)
        {
            disqualified += s.Disqualified;
            review += s.ManualReview;
            routed += s.Routed;
            contacted += s.Contacted;
            suppressed += s.Suppressed;
            quarantined += s.Quarantined;
            pending += s.Pending;
            stored += s.Stored;
        }

        if (tally is not null)
        {
            (disqualified, review, routed, contacted, suppressed, quarantined) =
                (tally.Disqualified, tally.ManualReview, tally.Routed, tally.Contacted, tally.Suppressed, tally.Quarantined);
            pending = tally.Pending + Volatile.Read(ref _unstored);
        }

        var stopped = cancelled && (_harvestCutShort || pending > 0);
        var status = fatal || CheckpointFailed ? PipelineRunStatus.Failed
            : stopped ? PipelineRunStatus.Cancelled
            : Harvest.Failed || quarantined > 0 ? PipelineRunStatus.CompletedWithErrors
            : PipelineRunStatus.Completed;

        PipelineError[] errors;
        lock (_errors)
        {
            errors = [.. _errors];
        }

        if (Volatile.Read(ref _checkpointError) is { } checkpointError)
        {
            // One error for every checkpoint that failed: the first cause, and how many leads were not stored.
            errors = [.. errors, new PipelineError(
                Checkpoint,
                null,
                checkpointError.GetType().FullName ?? checkpointError.GetType().Name,
                $"The state of {Volatile.Read(ref _checkpointFailures)} pending lead(s) could not be stored after retries; they stay stored as they were before, and a later run resumes them from there. {checkpointError.Message}")];
        }

        return new PipelineRunResult
        {
            RunId = _runId,
            CampaignId = _campaignId,
            Status = status,
            Kind = _request.Kind,
            DryRun = _request.DryRun,
            StartedAt = StartedAt,
            CompletedAt = _time.GetUtcNow(),
            Duration = Stopwatch.GetElapsedTime(StartTimestamp),
            Harvested = stages[0].Out,
            Duplicates = stages[1].Duplicates,
            Rejected = stages[1].Rejected,
            PossibleDuplicateSends = stages.Sum(static s => s.PossibleDuplicateSends),
            Disqualified = disqualified,
            ManualReview = review,
            Routed = routed,
            Contacted = contacted,
            Suppressed = suppressed,
            Quarantined = quarantined,
            Pending = pending,
            Stored = stored,
            Resumed = _backlog ? 0 : Volatile.Read(ref _resumed),
            Selected = _backlog ? Volatile.Read(ref _resumed) : 0,
            Stages = stages,
            Errors = errors,
        };
    }

    /// <summary>The run's record: the final one with <paramref name="result"/>, else a heartbeat with the counts so far.</summary>
    public RunRecord Record(PipelineRunStatus status, PipelineRunResult? result)
    {
        var record = new RunRecord
        {
            RunId = _runId,
            CampaignId = _campaignId,
            Status = status,
            StartedAt = StartedAt,
            UpdatedAt = _time.GetUtcNow(),
            CompletedAt = result?.CompletedAt,
            MaxLeads = _maxLeads,
            Kind = _request.Kind,
            Backlog = _request.Backlog,
            DryRun = _request.DryRun,
            Parameters = _parameters.Count == 0 ? null : _parameters,
            Harvested = result?.Harvested ?? 0,
            Duplicates = result?.Duplicates ?? 0,
            Stages = result?.Stages ?? [],
            Errors = result?.Errors.Select(e => $"{e.Stage}{(e.Source is null ? string.Empty : "/" + e.Source)}: {e.ErrorType}: {e.Message}").ToArray() ?? [],
        };
        return record;
    }

    /// <summary>The heartbeat record: running, with the counts so far.</summary>
    public RunRecord Heartbeat()
    {
        var stages = Snapshot();
        return Record(PipelineRunStatus.Running, null) with { Harvested = stages[0].Out, Duplicates = stages[1].Duplicates, Stages = stages };
    }
}
