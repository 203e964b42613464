using System.Collections.Concurrent;
using Aicmo.Sdk.Hosting;

namespace Aicmo.Sdk.Hosting.Tests.Support;

/// <summary>A job kind of its own for tests: records every run and does what <see cref="Behavior"/> says.</summary>
public sealed class RecordingJob : IScheduledJob
{
    public const string KindName = "test";

    private readonly ConcurrentQueue<(string Campaign, DateTimeOffset ScheduledAt, int Attempt)> _runs = new();

    public string Kind => KindName;

    public Func<ScheduledJobContext, CancellationToken, Task<JobOutcome>> Behavior { get; set; } =
        static (_, _) => Task.FromResult(new JobOutcome { LeadsProcessed = 1 });

    public IReadOnlyList<(string Campaign, DateTimeOffset ScheduledAt, int Attempt)> Runs => _runs.ToArray();

    public Task<JobOutcome> ExecuteAsync(ScheduledJobContext context, CancellationToken cancellationToken)
    {
        _runs.Enqueue((context.Schedule.CampaignId, context.ScheduledAt, context.Attempt));
        return Behavior(context, cancellationToken);
    }
}
