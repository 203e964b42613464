using System.Globalization;
using System.Text.RegularExpressions;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.AspNetCore.Schedules.Internal;

/// <summary>
/// The field rules of a schedule body, checked before the schedule manager sees it, each violation under its field. Schedule ids
/// are a slug that may hold <c>:</c> (the scheduler's own <c>nurture:{campaign}</c> schedules), so they are safe in a path.
/// </summary>
internal static partial class ScheduleRules
{
    public const int MaxCron = 120;

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static string MisfireName(MisfirePolicy policy) => policy switch
    {
        MisfirePolicy.Skip => "skip",
        MisfirePolicy.CatchUp => "catchUp",
        _ => "runOnce",
    };

    public static (JobSchedule? Schedule, Dictionary<string, string[]> Errors) Build(
        ScheduleRequest r, string? pathId, IScheduleManager manager, IReadOnlyCollection<string> kinds, AicmoApiOptions options, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var id = pathId ?? r.Id ?? "s-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..20];
        if (r.Id is not null && (!IsValidId(r.Id) || (pathId is not null && r.Id != pathId)))
        {
            Add("id", pathId is null ? "Lower-case letters, digits, '-', '_' and ':', at most 128 characters." : "Must be absent or equal the id in the path.");
        }

        if (!TextRules.IsValidId(r.CampaignId))
        {
            Add("campaignId", r.CampaignId is null ? "Required." : "Not a campaign id.");
        }

        var kind = r.JobKind ?? JobKinds.Pipeline;
        if (!kinds.Contains(kind))
        {
            Add("jobKind", "One of the registered job kinds: " + string.Join(", ", kinds.Order(StringComparer.Ordinal)) + ".");
        }

        var zone = r.TimeZone ?? "UTC";
        if (TextRules.Check(r.Cron, MaxCron, required: true) is { } cronProblem)
        {
            Add("cron", cronProblem);
        }
        else if (TextRules.Check(zone, 64) is { } zoneProblem)
        {
            Add("timeZone", zoneProblem);
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            Add("timeZone", "Not a known IANA time zone.");
        }
        else
        {
            try
            {
                manager.Preview(new JobSchedule { Id = "probe", CampaignId = "probe", Cron = r.Cron!, TimeZone = zone }, now, 1);
            }
            catch (ArgumentException)
            {
                Add("cron", "Not a cron expression: five fields (minute hour day month weekday), or six with seconds first.");
            }
        }

        MisfirePolicy? misfire = r.Misfire switch
        {
            null or "runOnce" => MisfirePolicy.RunOnce,
            "skip" => MisfirePolicy.Skip,
            "catchUp" => MisfirePolicy.CatchUp,
            _ => null,
        };
        if (misfire is null)
        {
            Add("misfire", "'skip', 'runOnce' or 'catchUp'.");
        }

        if (r.MisfireThreshold is { } threshold && (threshold <= TimeSpan.Zero || threshold > TimeSpan.FromDays(1)))
        {
            Add("misfireThreshold", "More than 0 and at most one day.");
        }

        if (r.MaxCatchUp is < 1 or > 1000)
        {
            Add("maxCatchUp", "Between 1 and 1000.");
        }

        if (r.MaxLeads is { } max && (max < 1 || max > options.MaxLeadsPerRunLimit))
        {
            Add("maxLeads", string.Create(CultureInfo.InvariantCulture, $"Between 1 and {options.MaxLeadsPerRunLimit}."));
        }

        var retry = new JobRetryPolicy();
        if (r.Retry is { } rr)
        {
            retry = new JobRetryPolicy
            {
                MaxRetries = rr.MaxRetries ?? retry.MaxRetries,
                BaseDelay = rr.BaseDelay ?? retry.BaseDelay,
                MaxDelay = rr.MaxDelay ?? retry.MaxDelay,
                UseJitter = rr.UseJitter ?? retry.UseJitter,
            };
            if (retry.MaxRetries is < 0 or > 100)
            {
                Add("retry.maxRetries", "Between 0 and 100.");
            }

            if (retry.BaseDelay <= TimeSpan.Zero || retry.BaseDelay > TimeSpan.FromDays(1))
            {
                Add("retry.baseDelay", "More than 0 and at most one day.");
            }

            if (retry.MaxDelay < retry.BaseDelay || retry.MaxDelay > TimeSpan.FromDays(1))
            {
                Add("retry.maxDelay", "At least baseDelay and at most one day.");
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var defaults = new JobSchedule();
        return (new JobSchedule
        {
            Id = id,
            CampaignId = r.CampaignId!,
            JobKind = kind,
            Cron = r.Cron!.Trim(),
            TimeZone = zone,
            Enabled = r.Enabled ?? true,
            Misfire = misfire!.Value,
            MisfireThreshold = r.MisfireThreshold ?? defaults.MisfireThreshold,
            MaxCatchUp = r.MaxCatchUp ?? defaults.MaxCatchUp,
            Retry = retry,
            MaxLeads = r.MaxLeads,
        }, errors);

        void Add(string field, string message) => errors[field] = [message];
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_:-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
