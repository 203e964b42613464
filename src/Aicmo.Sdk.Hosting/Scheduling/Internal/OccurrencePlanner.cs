using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>Which occurrences of a schedule are due at a look, and which of those run and which are missed (its misfire policy).</summary>
internal static class OccurrencePlanner
{
    private const int MaxOccurrencesPerLook = 100_000;

    /// <summary>
    /// Splits the due occurrences into those to run and those missed. The latest is on time when it is no later than the
    /// misfire threshold; every earlier one is missed, and the misfire policy picks which missed ones still run.
    /// </summary>
    public static (List<DateTimeOffset> Run, List<DateTimeOffset> Missed) Plan(JobSchedule schedule, List<DateTimeOffset> due, DateTimeOffset now)
    {
        var latestOnTime = due.Count > 0 && now - due[^1] <= schedule.MisfireThreshold;
        var missed = latestOnTime ? due[..^1] : due;
        var run = new List<DateTimeOffset>();
        switch (schedule.Misfire)
        {
            case MisfirePolicy.RunOnce when !latestOnTime && missed.Count > 0:
                run.Add(missed[^1]);
                missed = missed[..^1];
                break;
            case MisfirePolicy.CatchUp:
                var take = Math.Min(schedule.MaxCatchUp, missed.Count);
                run.AddRange(missed[^take..]);
                missed = missed[..^take];
                break;
        }

        if (latestOnTime)
        {
            run.Add(due[^1]);
        }

        return (run, missed);
    }

    /// <summary>
    /// The occurrences from <paramref name="first"/> to <paramref name="now"/>: at most the newest 100,000, with the number of
    /// older ones left out.
    /// </summary>
    public static (List<DateTimeOffset> Due, int Dropped) DueOccurrences(CronSchedule cron, DateTimeOffset first, DateTimeOffset now)
    {
        var due = new List<DateTimeOffset> { first };
        var dropped = 0;
        foreach (var occurrence in cron.Between(first, now))
        {
            if (due.Count == MaxOccurrencesPerLook)
            {
                due.RemoveAt(0);
                dropped++;
            }

            due.Add(occurrence);
        }

        return (due, dropped);
    }
}
