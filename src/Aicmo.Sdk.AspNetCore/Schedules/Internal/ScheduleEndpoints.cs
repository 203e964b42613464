using System.Globalization;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.Schedules.Internal;

/// <summary>
/// Schedules on the scheduler of <c>Aicmo.Sdk.Hosting</c> (<see cref="IScheduleManager"/>): list, create, read, replace, delete,
/// pause, resume, preview the next occurrences and read the job history. Mapped only when the host added the scheduler.
/// </summary>
internal static class ScheduleEndpoints
{
    public const int MaxOccurrences = 100;

    public static void Map(RouteGroupBuilder group, ApiPolicies policies)
    {
        var schedules = group.MapGroup("/schedules").WithTags("Schedules");
        schedules.MapGet("/", ListAsync).WithName("ListSchedules").WithSummary("Lists schedules by id, optionally of one campaign, one page at a time.")
            .Require(policies, AicmoApiScopes.Read);
        schedules.MapPost("/", CreateAsync).WithName("CreateSchedule").WithSummary("Creates a schedule; its first fire is its next occurrence after now.")
            .JsonBody<ScheduleRequest>().Require(policies, AicmoApiScopes.Operate);
        schedules.MapGet("/{id}", GetAsync).WithName("GetSchedule").WithSummary("Gets a schedule with its next fire time.").Require(policies, AicmoApiScopes.Read);
        schedules.MapPut("/{id}", ReplaceAsync).WithName("ReplaceSchedule").WithSummary("Replaces a schedule's definition; its next fire is computed again.")
            .JsonBody<ScheduleRequest>().Require(policies, AicmoApiScopes.Operate);
        schedules.MapDelete("/{id}", DeleteAsync).WithName("DeleteSchedule").WithSummary("Deletes a schedule; its job history stays until its retention ends.")
            .Require(policies, AicmoApiScopes.Operate);
        schedules.MapPost("/{id}/pause", PauseAsync).WithName("PauseSchedule").WithSummary("Pauses a schedule: it fires no more until resumed.")
            .Require(policies, AicmoApiScopes.Operate);
        schedules.MapPost("/{id}/resume", ResumeAsync).WithName("ResumeSchedule").WithSummary("Resumes a paused schedule from its next occurrence after now.")
            .Require(policies, AicmoApiScopes.Operate);
        schedules.MapGet("/{id}/occurrences", OccurrencesAsync).WithName("GetScheduleOccurrences").WithSummary("Previews the next occurrences of a schedule.")
            .Require(policies, AicmoApiScopes.Read);
        schedules.MapGet("/{id}/jobs", JobsAsync).WithName("ListScheduleJobs").WithSummary("Lists the schedule's job results, newest occurrence first.")
            .Require(policies, AicmoApiScopes.Read);
    }

    internal static async Task<Results<Ok<Page<ScheduleResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext http, IScheduleManager manager, IOptions<AicmoApiOptions> options, string? campaignId = null, string? limit = null, string? cursor = null)
    {
        if (Paging.Check(http, limit, cursor, options.Value, out var take, out var after) is { } invalid)
        {
            return invalid;
        }

        if (campaignId is not null && !TextRules.IsValidId(campaignId))
        {
            return P.Validation(http, "campaignId", "Not a campaign id.");
        }

        var all = await manager.ListAsync(campaignId, http.RequestAborted).ConfigureAwait(false);
        var items = all.Where(s => after is null || string.CompareOrdinal(s.Id, after) > 0).OrderBy(s => s.Id, StringComparer.Ordinal).Take(take + 1).ToList();
        var next = items.Count > take ? Cursor.Encode(items[take - 1].Id) : null;
        return TypedResults.Ok(new Page<ScheduleResponse>([.. items.Take(take).Select(ScheduleResponse.From)], next));
    }

    internal static async Task<Results<Created<ScheduleResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext http, IScheduleManager manager, IEnumerable<IScheduledJob> jobs, ICampaignRepository campaigns, IOptions<AicmoApiOptions> options, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync<ScheduleRequest>(http).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (schedule, errors) = ScheduleRules.Build(body!, null, manager, Kinds(jobs), options.Value, time.GetUtcNow());
        if (schedule is null)
        {
            return P.Validation(http, errors);
        }

        if (await campaigns.GetAsync(schedule.CampaignId, http.RequestAborted).ConfigureAwait(false) is null)
        {
            return P.Validation(http, "campaignId", "No campaign with this id.");
        }

        JobSchedule stored;
        try
        {
            stored = await manager.CreateAsync(schedule, http.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return P.Conflict(http, "A schedule with this id exists.");
        }

        return TypedResults.Created(ApiRoutes.PathOf(http, "/schedules/" + stored.Id), ScheduleResponse.From(stored));
    }

    internal static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> GetAsync(HttpContext http, IScheduleManager manager, string id)
    {
        var (schedule, problem) = await FindAsync(http, manager, id).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(ScheduleResponse.From(schedule!));
    }

    internal static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> ReplaceAsync(
        HttpContext http, IScheduleManager manager, IEnumerable<IScheduledJob> jobs, ICampaignRepository campaigns, IOptions<AicmoApiOptions> options, TimeProvider time, string id)
    {
        var (current, missing) = await FindAsync(http, manager, id).ConfigureAwait(false);
        if (missing is not null)
        {
            return missing;
        }

        var (body, problem) = await JsonBody.ReadAsync<ScheduleRequest>(http).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (schedule, errors) = ScheduleRules.Build(body!, current!.Id, manager, Kinds(jobs), options.Value, time.GetUtcNow());
        if (schedule is null)
        {
            return P.Validation(http, errors);
        }

        if (schedule.CampaignId != current.CampaignId && await campaigns.GetAsync(schedule.CampaignId, http.RequestAborted).ConfigureAwait(false) is null)
        {
            return P.Validation(http, "campaignId", "No campaign with this id.");
        }

        var stored = await manager.UpdateAsync(schedule, http.RequestAborted).ConfigureAwait(false);
        return stored is null ? P.NotFound(http, $"No schedule '{id}'.") : TypedResults.Ok(ScheduleResponse.From(stored));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, IScheduleManager manager, string id)
    {
        if (!ScheduleRules.IsValidId(id))
        {
            return P.Validation(http, "id", "Not a schedule id.");
        }

        return await manager.DeleteAsync(id, http.RequestAborted).ConfigureAwait(false) ? TypedResults.NoContent() : P.NotFound(http, $"No schedule '{id}'.");
    }

    internal static Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> PauseAsync(HttpContext http, IScheduleManager manager, string id) =>
        ChangeAsync(http, id, manager.PauseAsync);

    internal static Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> ResumeAsync(HttpContext http, IScheduleManager manager, string id) =>
        ChangeAsync(http, id, manager.ResumeAsync);

    internal static async Task<Results<Ok<OccurrencesResponse>, ProblemHttpResult>> OccurrencesAsync(
        HttpContext http, IScheduleManager manager, TimeProvider time, string id, string? count = null)
    {
        var n = 10;
        if (count is not null && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1 || n > MaxOccurrences))
        {
            return P.Validation(http, "count", $"An integer from 1 to {MaxOccurrences}.");
        }

        var (schedule, problem) = await FindAsync(http, manager, id).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var occurrences = manager.Preview(schedule!, time.GetUtcNow(), n);
        return TypedResults.Ok(new OccurrencesResponse(schedule!.Id, schedule.TimeZone, schedule.Enabled, occurrences));
    }

    internal static async Task<Results<Ok<Page<JobResultResponse>>, ProblemHttpResult>> JobsAsync(
        HttpContext http, IScheduleManager manager, IOptions<AicmoApiOptions> options, string id, string? limit = null, string? cursor = null)
    {
        if (Paging.Check(http, limit, cursor, options.Value, out var take, out var after) is { } invalid)
        {
            return invalid;
        }

        var skip = 0;
        if (after is not null && (!int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            return P.Validation(http, "cursor", "Not a cursor this API returned.");
        }

        var (schedule, problem) = await FindAsync(http, manager, id).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var page = await manager.HistoryAsync(new JobResultQuery { CampaignId = schedule!.CampaignId, ScheduleId = schedule.Id, Skip = skip, Take = take + 1 }, http.RequestAborted)
            .ConfigureAwait(false);
        var next = page.Count > take ? Cursor.Encode((skip + take).ToString(CultureInfo.InvariantCulture)) : null;
        return TypedResults.Ok(new Page<JobResultResponse>([.. page.Take(take).Select(JobResultResponse.From)], next));
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> ChangeAsync(
        HttpContext http, string id, Func<string, CancellationToken, Task<JobSchedule?>> change)
    {
        if (!ScheduleRules.IsValidId(id))
        {
            return P.Validation(http, "id", "Not a schedule id.");
        }

        var changed = await change(id, http.RequestAborted).ConfigureAwait(false);
        return changed is null ? P.NotFound(http, $"No schedule '{id}'.") : TypedResults.Ok(ScheduleResponse.From(changed));
    }

    private static async Task<(JobSchedule? Schedule, ProblemHttpResult? Problem)> FindAsync(HttpContext http, IScheduleManager manager, string id)
    {
        if (!ScheduleRules.IsValidId(id))
        {
            return (null, P.Validation(http, "id", "Not a schedule id."));
        }

        var schedule = await manager.GetAsync(id, http.RequestAborted).ConfigureAwait(false);
        return schedule is null ? (null, P.NotFound(http, $"No schedule '{id}'.")) : (schedule, null);
    }

    private static HashSet<string> Kinds(IEnumerable<IScheduledJob> jobs) => jobs.Select(j => j.Kind).ToHashSet(StringComparer.Ordinal);
}
