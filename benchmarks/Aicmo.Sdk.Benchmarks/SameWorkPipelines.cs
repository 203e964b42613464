using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// What a hand-written pipeline has to do per lead to do what our runner does, one lead at a time (no batches): identity key,
/// a new lead built as dedup builds it, an insert into the lead store (the store's uniqueness decides duplicates), the
/// "harvested" audit event, each stage with its result applied through the state machine and audited, and the final write-back
/// with a compare-and-set on the version. No resilience, no metrics, no checkpoints: only the work, as a team would write it.
/// </summary>
public sealed class SameLeadWork(ILeadRepository leads, IAuditLog audit, StageContext context, string source)
{
    private const string CreatedReason = "harvested";
    private const string NoIdentityReason = "no email address, and no company domain with a full name, to identify the person";

    /// <summary>Dedup of one candidate: the new lead (already disqualified when it cannot be identified), or <see langword="null"/> for a duplicate.</summary>
    public async ValueTask<Lead?> CreateAsync(LeadCandidate candidate)
    {
        var now = context.TimeProvider.GetUtcNow();
        var key = LeadIdentity.ComputeKey(candidate.Email, candidate.CompanyDomain, candidate.FirstName, candidate.LastName);

        // Built by the runner's own code: the same id generator, the same fields, trimmed the same way.
        var lead = DedupExecutor.CreateLead(candidate, source, context, key, now);
        if (!await leads.TryAddAsync(lead, CancellationToken.None).ConfigureAwait(false))
        {
            return null;
        }

        lead.StoredVersion = lead.Version;
        await audit.AppendAsync(Event(lead, StageNames.Dedup, null, CreatedReason), CancellationToken.None).ConfigureAwait(false);
        if (key is null)
        {
            var from = lead.TransitionTo(LeadStatus.Disqualified, now);
            lead.Qualification = new QualificationDecision(QualificationVerdict.Disqualified, [NoIdentityReason]);
            await audit.AppendAsync(Event(lead, StageNames.Dedup, from, NoIdentityReason), CancellationToken.None).ConfigureAwait(false);
        }

        return lead;
    }

    /// <summary>Runs one stage and applies its result; <see langword="true"/> when the lead reached an outcome and leaves.</summary>
    public async ValueTask<bool> RunStageAsync(ILeadStage stage, Lead lead)
    {
        var result = await stage.ExecuteAsync(lead, context, CancellationToken.None).ConfigureAwait(false);
        if (result.NextStatus is { } next)
        {
            var from = lead.TransitionTo(next, context.TimeProvider.GetUtcNow());
            await audit.AppendAsync(Event(lead, stage.Name, from, result.Reason), CancellationToken.None).ConfigureAwait(false);
        }

        return LeadStateMachine.IsTerminalForPipeline(lead.Status);
    }

    /// <summary>Writes a finished lead back with a compare-and-set; <see langword="true"/> when the store took it.</summary>
    public async ValueTask<bool> FinishAsync(Lead lead)
    {
        if (!await leads.UpdateAsync(lead, lead.StoredVersion, CancellationToken.None).ConfigureAwait(false))
        {
            return false;
        }

        lead.StoredVersion = lead.Version;
        return true;
    }

    private AuditEvent Event(Lead lead, string stage, LeadStatus? from, string reason) =>
        new(lead.Id, lead.CampaignId, context.RunId, lead.Version, stage, from, lead.Status, reason, lead.UpdatedAt);
}

/// <summary>What a same-work pipeline did, counted by its workers, for the benchmark's checks.</summary>
public sealed class SameWorkTally
{
    public long Duplicates;
    public long Updated;
    public long Disqualified;

    public void Add(long duplicates, long updated, long disqualified)
    {
        Interlocked.Add(ref Duplicates, duplicates);
        Interlocked.Add(ref Updated, updated);
        Interlocked.Add(ref Disqualified, disqualified);
    }

    public override string ToString() =>
        $"duplicates {Duplicates}, updated {Updated}, disqualified {Disqualified}";
}

/// <summary>
/// <see cref="RawChannelsPipeline"/> with the runner's per-lead work (<see cref="SameLeadWork"/>): the producer writes the
/// candidates, the first stage's workers create and insert each lead before running the stage, and a lead that reaches an
/// outcome is written back by the worker that finished it. Same stages, workers and capacities.
/// </summary>
public static class RawChannelsSameWorkPipeline
{
    public static async Task<SameWorkTally> RunAsync(LeadCandidate[] candidates, ILeadStage[] stages, SameLeadWork work, int workers, int capacity)
    {
        var input = Channel.CreateBounded<LeadCandidate>(new BoundedChannelOptions(capacity) { SingleReader = workers == 1, SingleWriter = true });
        var channels = new Channel<Lead>[stages.Length];
        for (var i = 1; i < channels.Length; i++)
        {
            channels[i] = Channel.CreateBounded<Lead>(new BoundedChannelOptions(capacity) { SingleReader = workers == 1, SingleWriter = false });
        }

        var tally = new SameWorkTally();
        var groups = new Task[stages.Length + 1];
        groups[0] = ProduceAsync();
        for (var s = 0; s < stages.Length; s++)
        {
            groups[s + 1] = StageAsync(s);
        }

        await Task.WhenAll(groups);
        return tally;

        async Task ProduceAsync()
        {
            await Task.Yield();
            foreach (var candidate in candidates)
            {
                await input.Writer.WriteAsync(candidate);
            }

            input.Writer.Complete();
        }

        async Task StageAsync(int s)
        {
            var tasks = new Task[workers];
            for (var w = 0; w < workers; w++)
            {
                tasks[w] = s == 0 ? FirstWorkerAsync() : WorkerAsync(s);
            }

            await Task.WhenAll(tasks);
            if (s + 1 < channels.Length)
            {
                channels[s + 1].Writer.Complete();
            }
        }

        async Task FirstWorkerAsync()
        {
            await Task.Yield();
            var reader = input.Reader;
            long duplicates = 0, updated = 0, disqualified = 0;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var candidate))
                {
                    var lead = await work.CreateAsync(candidate);
                    if (lead is null)
                    {
                        duplicates++;
                        continue;
                    }

                    if (LeadStateMachine.IsTerminalForPipeline(lead.Status) || await work.RunStageAsync(stages[0], lead) || stages.Length == 1)
                    {
                        updated += await work.FinishAsync(lead) ? 1 : 0;
                        disqualified += lead.Status == LeadStatus.Disqualified ? 1 : 0;
                    }
                    else
                    {
                        await channels[1].Writer.WriteAsync(lead);
                    }
                }
            }

            tally.Add(duplicates, updated, disqualified);
        }

        async Task WorkerAsync(int s)
        {
            await Task.Yield();
            var stage = stages[s];
            var reader = channels[s].Reader;
            var writer = s + 1 < channels.Length ? channels[s + 1].Writer : null;
            long updated = 0, disqualified = 0;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var lead))
                {
                    if (await work.RunStageAsync(stage, lead) || writer is null)
                    {
                        updated += await work.FinishAsync(lead) ? 1 : 0;
                        disqualified += lead.Status == LeadStatus.Disqualified ? 1 : 0;
                    }
                    else
                    {
                        await writer.WriteAsync(lead);
                    }
                }
            }

            tally.Add(0, updated, disqualified);
        }
    }
}

/// <summary>
/// <see cref="DataflowPipeline"/> with the runner's per-lead work (<see cref="SameLeadWork"/>): the first block takes the
/// candidates and creates and inserts each lead before running the first stage; a lead that reaches an outcome is written back
/// by the block that finished it and goes no further. Same blocks, parallelism and capacities, and set up in Dataflow's favour
/// the same way: synchronous delegates (the stages and stores complete synchronously), no ordering.
/// </summary>
public static class DataflowSameWorkPipeline
{
    public static async Task<SameWorkTally> RunAsync(LeadCandidate[] candidates, ILeadStage[] stages, SameLeadWork work, int workers, int capacity)
    {
        var options = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = workers, BoundedCapacity = capacity, EnsureOrdered = false };
        var link = new DataflowLinkOptions { PropagateCompletion = true };
        var tally = new SameWorkTally();

        if (stages.Length == 1)
        {
            var only = new ActionBlock<LeadCandidate>(
                candidate =>
                {
                    if (Wait(work.CreateAsync(candidate)) is { } lead)
                    {
                        if (!LeadStateMachine.IsTerminalForPipeline(lead.Status))
                        {
                            Wait(work.RunStageAsync(stages[0], lead));
                        }

                        Finish(lead);
                    }
                    else
                    {
                        Interlocked.Increment(ref tally.Duplicates);
                    }
                },
                options);
            foreach (var candidate in candidates)
            {
                await only.SendAsync(candidate);
            }

            only.Complete();
            await only.Completion;
            return tally;
        }

        // A block returns null for a lead it finished (or a duplicate): only the others are passed on, the nulls are dropped.
        var first = new TransformBlock<LeadCandidate, Lead?>(
            candidate =>
            {
                var lead = Wait(work.CreateAsync(candidate));
                if (lead is null)
                {
                    Interlocked.Increment(ref tally.Duplicates);
                    return null;
                }

                return Step(stages[0], lead, alreadyFinished: LeadStateMachine.IsTerminalForPipeline(lead.Status));
            },
            options);
        ISourceBlock<Lead?> previous = first;
        for (var s = 1; s < stages.Length - 1; s++)
        {
            var stage = stages[s];
            var block = new TransformBlock<Lead?, Lead?>(lead => Step(stage, lead!, alreadyFinished: false), options);
            Link(previous, block);
            previous = block;
        }

        var lastStage = stages[^1];
        var last = new ActionBlock<Lead?>(
            lead =>
            {
                Wait(work.RunStageAsync(lastStage, lead!));
                Finish(lead!);
            },
            options);
        Link(previous, last);

        foreach (var candidate in candidates)
        {
            await first.SendAsync(candidate);
        }

        first.Complete();
        await last.Completion;
        return tally;

        Lead? Step(ILeadStage stage, Lead lead, bool alreadyFinished)
        {
            if (alreadyFinished || Wait(work.RunStageAsync(stage, lead)))
            {
                Finish(lead);
                return null;
            }

            return lead;
        }

        void Finish(Lead lead)
        {
            if (Wait(work.FinishAsync(lead)))
            {
                Interlocked.Increment(ref tally.Updated);
            }

            if (lead.Status == LeadStatus.Disqualified)
            {
                Interlocked.Increment(ref tally.Disqualified);
            }
        }

        // Both links filtered: a lead the bounded target postpones (its buffer full) must wait for it, not fall through to
        // the null target, which accepts anything it is offered.
        void Link(ISourceBlock<Lead?> source, ITargetBlock<Lead?> target)
        {
            source.LinkTo(target, link, static lead => lead is not null);
            source.LinkTo(DataflowBlock.NullTarget<Lead?>(), static lead => lead is null);
        }
    }

    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
