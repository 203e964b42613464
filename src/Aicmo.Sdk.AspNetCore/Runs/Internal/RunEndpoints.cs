using System.Globalization;
using Aicmo.Sdk.AspNetCore.Campaigns.Internal;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>Runs: start (and the execute aliases), read, cancel, resume, list a campaign's runs.</summary>
internal static class RunEndpoints
{
    public static void Map(RouteGroupBuilder group, ApiPolicies policies)
    {
        var campaigns = group.MapGroup("/campaigns/{id}").WithTags("Runs");
        campaigns.MapPost("/runs", (HttpContext http, string id) => StartAsync(http, id, null))
            .WithName("StartRun").WithSummary("Starts a run of the campaign; 202 with the run's Location.")
            .JsonBody<RunRequest>(required: false).Require(policies, AicmoApiScopes.Operate);
        campaigns.MapPost("/execute/full-pipeline", (HttpContext http, string id) => StartAsync(http, id, RunValidation.Full))
            .WithName("ExecuteFullPipeline").WithSummary("Starts a full pipeline run (alias of POST /runs with kind 'full-pipeline').")
            .JsonBody<RunRequest>(required: false).Require(policies, AicmoApiScopes.Operate);
        campaigns.MapPost("/execute/harvest", (HttpContext http, string id) => StartAsync(http, id, RunValidation.Harvest))
            .WithName("ExecuteHarvest").WithSummary("Starts a harvest-only run: new leads are stored and wait in New (alias of POST /runs with kind 'harvest').")
            .JsonBody<RunRequest>(required: false).Require(policies, AicmoApiScopes.Operate);
        campaigns.MapGet("/runs", ListAsync).WithName("ListRuns").WithSummary("Lists a campaign's runs, newest first.").Require(policies, AicmoApiScopes.Read);

        var runs = group.MapGroup("/runs/{runId}").WithTags("Runs");
        runs.MapGet("/", GetAsync).WithName("GetRun").WithSummary("Gets a run: status, counts per stage, success rate, duration, balance.")
            .Require(policies, AicmoApiScopes.Read);
        runs.MapPost("/cancel", CancelAsync).WithName("CancelRun").WithSummary("Cancels a running run gracefully.").Require(policies, AicmoApiScopes.Operate);
        runs.MapPost("/resume", ResumeAsync).WithName("ResumeRun").WithSummary("Resumes a run that did not complete, under its id.").Require(policies, AicmoApiScopes.Operate);
    }

    internal static async Task<Results<Accepted<RunResponse>, ProblemHttpResult>> StartAsync(HttpContext http, string id, string? forcedKind)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<AicmoApiOptions>>().Value;
        var found = await CampaignEndpoints.Find(http, services.GetRequiredService<ICampaignRepository>(), id).ConfigureAwait(false);
        if (found.Problem is not null)
        {
            return found.Problem;
        }

        var body = new RunRequest();
        if (HasBody(http.Request))
        {
            var (read, problem) = await JsonBody.ReadAsync<RunRequest>(http).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            body = read!;
        }

        if (body.Kind == RunValidation.FullShort)
        {
            body = body with { Kind = RunValidation.Full };
        }

        if (forcedKind is not null)
        {
            if (body.Kind is not null && body.Kind != forcedKind)
            {
                return P.Validation(http, "kind", $"This endpoint runs '{forcedKind}'; leave kind out or send '{forcedKind}'.");
            }

            body = body with { Kind = forcedKind };
        }

        var errors = RunValidation.Validate(body, options);
        if (errors.Count > 0)
        {
            return P.Validation(http, errors);
        }

        var campaign = found.Value!;
        if (campaign.ArchivedAt is not null || !campaign.Active)
        {
            return P.Conflict(http, $"Campaign '{campaign.Id}' is {(campaign.ArchivedAt is null ? "inactive" : "archived")}; no run can start.");
        }

        var request = new PipelineRunRequest
        {
            CampaignId = campaign.Id,
            MaxLeads = body.MaxLeads ?? campaign.Settings?.MaxLeadsPerRun,
            Kind = RunValidation.KindOf(body.Kind),
            Backlog = RunValidation.SelectionOf(body.Backlog),
            DryRun = body.DryRun ?? false,
            Parameters = body.Parameters,
        };
        IPipelineRun run;
        try
        {
            request.Validate();
            run = services.GetRequiredService<ILeadPipeline>().Start(request);
        }
        catch (ArgumentException e)
        {
            // The API's own checks come first; this is what the runner refuses beyond them. Its message may quote input, so only the
            // field goes out, except for a backlog's stages: the API checked their names, and the runner's message lists the stages.
            var field = string.IsNullOrEmpty(e.ParamName) ? "$" : string.Join('.', e.ParamName.Split('.').Select(static p => char.ToLowerInvariant(p[0]) + p[1..]));
            return P.Validation(http, field, field == "backlog.stages" ? e.Message.Split(" (Parameter")[0] : "Not accepted by the pipeline.");
        }

        services.GetRequiredService<RunRegistry>().Track(run, RunValidation.NameOf(request.Kind), request.DryRun);
        var links = Links(http, run.RunId);
        return TypedResults.Accepted(links.Self, RunResponse.FromProgress(run, RunValidation.NameOf(request.Kind), request.DryRun, services.GetRequiredService<TimeProvider>().GetUtcNow(), links));
    }

    internal static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> GetAsync(HttpContext http, RunRegistry registry, IRunRepository store, TimeProvider time, string runId)
    {
        if (!TryParse(runId, out var guid))
        {
            return P.Validation(http, "runId", "Not a run id.");
        }

        var links = Links(http, guid);
        if (registry.TryGet(guid, out var live))
        {
            return TypedResults.Ok(live.Result is { } result
                ? RunResponse.FromResult(result, live: true, links)
                : RunResponse.FromProgress(live.Run, live.Kind, live.DryRun, time.GetUtcNow(), links));
        }

        var record = await store.GetAsync(guid, http.RequestAborted).ConfigureAwait(false);
        return record is null ? P.NotFound(http, $"No run '{guid}'.") : TypedResults.Ok(RunResponse.FromRecord(record, links));
    }

    internal static async Task<Results<Accepted<RunResponse>, ProblemHttpResult>> CancelAsync(HttpContext http, RunRegistry registry, IRunRepository store, TimeProvider time, string runId)
    {
        if (!TryParse(runId, out var guid))
        {
            return P.Validation(http, "runId", "Not a run id.");
        }

        var links = Links(http, guid);
        if (registry.TryGet(guid, out var live) && live.Result is null)
        {
            live.Run.Cancel();
            return TypedResults.Accepted(links.Self, RunResponse.FromProgress(live.Run, live.Kind, live.DryRun, time.GetUtcNow(), links));
        }

        var record = await store.GetAsync(guid, http.RequestAborted).ConfigureAwait(false);
        if (record is null && live is null)
        {
            return P.NotFound(http, $"No run '{guid}'.");
        }

        return P.Conflict(http, live is not null || record!.Status != PipelineRunStatus.Running
            ? "The run has already ended."
            : "The run is not running in this process; cancel it where it runs.");
    }

    internal static async Task<Results<Accepted<RunResponse>, ProblemHttpResult>> ResumeAsync(
        HttpContext http, RunRegistry registry, IRunRepository store, ILeadPipeline pipeline, TimeProvider time, string runId)
    {
        if (!TryParse(runId, out var guid))
        {
            return P.Validation(http, "runId", "Not a run id.");
        }

        if (registry.TryGet(guid, out var live) && live.Result is null)
        {
            return P.Conflict(http, "The run is still running.");
        }

        if (await store.GetAsync(guid, http.RequestAborted).ConfigureAwait(false) is not { } record)
        {
            return P.NotFound(http, $"No run '{guid}'.");
        }

        IPipelineRun run;
        try
        {
            run = await pipeline.StartResumeAsync(guid, CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return P.Conflict(http, "The run cannot be resumed: it completed, or it is unknown to the pipeline.");
        }

        registry.Track(run, RunValidation.NameOf(record.Kind), record.DryRun);
        var links = Links(http, run.RunId);
        return TypedResults.Accepted(links.Self, RunResponse.FromProgress(run, RunValidation.NameOf(record.Kind), record.DryRun, time.GetUtcNow(), links));
    }

    internal static async Task<Results<Ok<Page<RunResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ICampaignRepository campaigns, IRunRepository store, IOptions<AicmoApiOptions> options, string id, string? limit = null, string? cursor = null)
    {
        if (Paging.Check(http, limit, cursor, options.Value, out var take, out var after) is { } invalid)
        {
            return invalid;
        }

        var found = await CampaignEndpoints.Find(http, campaigns, id).ConfigureAwait(false);
        if (found.Problem is not null)
        {
            return found.Problem;
        }

        var all = await store.ListAsync(id, http.RequestAborted).ConfigureAwait(false);
        var start = 0;
        if (after is not null)
        {
            var index = all.ToList().FindIndex(r => Key(r) == after);
            if (index < 0)
            {
                return P.Validation(http, "cursor", "Not a cursor this API returned.");
            }

            start = index + 1;
        }

        var page = all.Skip(start).Take(take + 1).ToList();
        var next = page.Count > take ? Cursor.Encode(Key(page[take - 1])) : null;
        return TypedResults.Ok(new Page<RunResponse>([.. page.Take(take).Select(r => RunResponse.FromRecord(r, Links(http, r.RunId)))], next));
    }

    internal static RunLinks Links(HttpContext http, Guid runId)
    {
        var self = ApiRoutes.PathOf(http, "/runs/" + runId.ToString("D", CultureInfo.InvariantCulture));
        return new RunLinks(self, self + "/events", self + "/ws");
    }

    internal static bool TryParse(string runId, out Guid guid) =>
        Guid.TryParseExact(runId, "D", out guid);

    private static string Key(RunRecord r) => r.RunId.ToString("N", CultureInfo.InvariantCulture);

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
