using System.Globalization;
using Aicmo.Samples.Quickstart;
using Aicmo.Sdk.Csv.Export;
using Aicmo.Sdk.Csv.Import;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

// Runs the whole pipeline over synthetic leads, shows live progress per stage, then prints the funnel.
// Persists to a SQLite file in the working directory; a run interrupted (Ctrl+C, or the process killed) is resumed
// when the quickstart is started again with the same count and seed.
// With --csv it imports a real file instead and prints where every row ended (line → outcome and reason), and with
// --export it writes the campaign's leads (outcome, score, reasons, owner) to a .csv or .jsonl file at the end.
//   dotnet run --project samples/Aicmo.Samples.Quickstart -- [count] [seed] [--db <path>] [--in-memory] [--csv <file>] [--export <file.csv|file.jsonl>]
const int DefaultCount = 10_000;
const int DefaultSeed = 42;
const string DefaultDatabase = "aicmo-quickstart.db";

if (!TryParseArguments(args, out var count, out var seed, out var database, out var inMemory, out var csvFile, out var exportFile, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine("usage: dotnet run --project samples/Aicmo.Samples.Quickstart -- [count] [seed] [--db <path>] [--in-memory] [--csv <file>] [--export <file.csv|file.jsonl>]");
    Console.Error.WriteLine($"  count        leads to generate, 1 to 100000000 (default {DefaultCount:N0})");
    Console.Error.WriteLine($"  seed         random seed, any integer (default {DefaultSeed})");
    Console.Error.WriteLine($"  --db <path>  the SQLite file to persist to (default ./{DefaultDatabase})");
    Console.Error.WriteLine("  --in-memory  keep everything in memory; nothing is persisted or resumed");
    Console.Error.WriteLine("  --csv <file>     import this CSV file (CRM or spreadsheet export) instead of synthetic leads");
    Console.Error.WriteLine("  --export <file>  write the campaign's leads to a .csv (formula cells neutralized) or .jsonl file");
    return 2;
}

if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Capabilities.Ansi = false;
    AnsiConsole.Profile.Capabilities.Interactive = false;
}

var sender = new RecordingEmailSender { RetainMessages = false };
var services = new ServiceCollection();
var builder = services.AddAicmoPipeline(o =>
    {
        o.Scoring.TargetIndustries.Add("Software");
        o.Scoring.TargetIndustries.Add("Financial Services");
        o.Scoring.TargetCountries.Add("US");
        o.Scoring.TargetCountries.Add("GB");
        o.Scoring.TargetCountries.Add("DE");
    })
    .AddEmailSender(sender);

// A row the CSV source refuses (malformed, a control character, a missing column) is rejected at intake: the run counts it and
// keeps its line and reason. For a CSV file, every row's outcome is printed after the funnel (the first RowsListed rows).
const int RowsListed = 1_000;
var csvRows = csvFile is null ? null : new RecordingLeadSource(new CsvLeadSource(new CsvLeadSourceOptions { Path = csvFile }), RowsListed);
builder.AddLeadSource(csvRows ?? (ILeadSource)new SyntheticLeadSource(count, seed));
if (!inMemory)
{
    builder.UseSqlite(new SqliteConnectionStringBuilder { DataSource = database }.ToString());

    // With a durable store, nurture waits on commits (each send is reserved in the outbox, then marked sent): many sends in
    // flight let the store commit them together. See docs/stores.md.
    services.Configure<AicmoPipelineOptions>(o => o.StageParallelism[StageNames.Nurture] = 256);
}

await using var provider = services.BuildServiceProvider();
var pipeline = provider.GetRequiredService<ILeadPipeline>();

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

AnsiConsole.MarkupLineInterpolated($"[bold]Aicmo.Sdk quickstart[/]: {(csvFile is null ? $"{count:N0} synthetic leads, seed {seed}" : "leads from " + csvFile)}. Press Ctrl+C to stop gracefully.");
AnsiConsole.MarkupLineInterpolated($"store: {(inMemory ? "in memory (--in-memory)" : "SQLite at " + database)}");

// One campaign per (count, seed) and attempt: an interrupted attempt is resumed, a finished one is followed by a new one.
var campaignPrefix = csvFile is null
    ? string.Create(CultureInfo.InvariantCulture, $"quickstart-n{count}-s{seed}-")
    : "quickstart-csv-" + Path.GetFileNameWithoutExtension(csvFile) + "-";
var campaigns = (await provider.GetRequiredService<ICampaignRepository>().ListAsync())
    .Where(c => c.Id.StartsWith(campaignPrefix, StringComparison.Ordinal))
    .ToList();
var lastRun = campaigns.Count == 0 ? null : (await provider.GetRequiredService<IRunRepository>().ListAsync(campaigns[^1].Id)).FirstOrDefault();
IPipelineRun run;
string runCampaign;
if (lastRun is { Status: PipelineRunStatus.Running or PipelineRunStatus.Cancelled or PipelineRunStatus.Failed })
{
    AnsiConsole.MarkupLineInterpolated($"[yellow]resuming[/] run {lastRun.RunId} of campaign {lastRun.CampaignId}, which ended {lastRun.Status} after {lastRun.Harvested:N0} harvested");
    run = await pipeline.StartResumeAsync(lastRun.RunId, cts.Token);
    runCampaign = lastRun.CampaignId;
}
else
{
    var campaignId = campaignPrefix + (campaigns.Count + 1).ToString("D3", CultureInfo.InvariantCulture);
    AnsiConsole.MarkupLineInterpolated($"campaign {campaignId}");
    run = pipeline.Start(new PipelineRunRequest { CampaignId = campaignId }, cts.Token);
    runCampaign = campaignId;
}

var quarantined = new List<LeadQuarantined>();

if (AnsiConsole.Profile.Capabilities.Interactive)
{
    await AnsiConsole.Live(ProgressTable(run.Progress)).AutoClear(false).StartAsync(async ctx =>
    {
        await foreach (var e in run.Events)
        {
            switch (e)
            {
                case StageProgress p:
                    ctx.UpdateTarget(ProgressTable(p.Progress));
                    break;
                case LeadQuarantined q:
                    quarantined.Add(q);
                    break;
                case RunCompleted:
                    ctx.UpdateTarget(ProgressTable(run.Progress));
                    break;
            }
        }
    });
}
else
{
    // Not a terminal (CI, a pipe): one plain line per progress tick instead of a live table.
    await foreach (var e in run.Events)
    {
        switch (e)
        {
            case StageProgress p:
                Console.WriteLine(ProgressLine(p.Progress));
                break;
            case LeadQuarantined q:
                quarantined.Add(q);
                break;
        }
    }
}

var result = await run.Completion;
PrintFunnel(result, sender, quarantined);
if (csvRows is not null)
{
    AnsiConsole.MarkupLineInterpolated($"{result.Harvested:N0} records read: {result.Rejected:N0} rejected at intake, {result.Duplicates:N0} duplicates, {result.Harvested - result.Rejected - result.Duplicates:N0} leads (outcomes above)");
    await PrintRowsAsync(csvRows, runCampaign, provider.GetRequiredService<ILeadRepository>());
}
else if (result.Rejected > 0)
{
    AnsiConsole.MarkupLineInterpolated($"{result.Harvested:N0} records read: {result.Rejected:N0} rejected at intake, {result.Duplicates:N0} duplicates, {result.Harvested - result.Rejected - result.Duplicates:N0} leads (outcomes above)");
    var rejections = provider.GetRequiredService<IRejectionLog>();
    long after = 0;
    while (true)
    {
        var page = await rejections.ListAsync(result.RunId, after, 500);
        foreach (var rejection in page)
        {
            AnsiConsole.MarkupLineInterpolated($"  [red]rejected[/] {rejection.Position ?? "?"}: {rejection.Reason}");
        }

        if (page.Count < 500)
        {
            break;
        }

        after = page[^1].Id;
    }
}

if (exportFile is not null)
{
    var leads = LeadPages.ReadAllAsync(provider.GetRequiredService<ILeadRepository>(), new LeadQuery { CampaignId = runCampaign, Take = 1000 });
    var output = File.Create(exportFile);
    await using (output)
    {
        var written = exportFile.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            ? await LeadJsonLinesExporter.WriteAsync(leads, output)
            : await LeadCsvExporter.WriteAsync(leads, output);
        AnsiConsole.MarkupLineInterpolated($"exported {written:N0} leads of campaign {runCampaign} to {exportFile}");
    }
}

return result.Status is PipelineRunStatus.Completed or PipelineRunStatus.CompletedWithErrors or PipelineRunStatus.Cancelled ? 0 : 1;

// Where every row of the file ended: rejected at intake (with the reason), a duplicate of an earlier row, or the lead it became
// and that lead's outcome with its reasons.
static async Task PrintRowsAsync(RecordingLeadSource rows, string campaignId, ILeadRepository store)
{
    var leads = new Dictionary<string, Lead>(StringComparer.Ordinal);
    await foreach (var lead in LeadPages.ReadAllAsync(store, new LeadQuery { CampaignId = campaignId, Take = 1000 }))
    {
        leads[lead.IdentityKey] = lead;
    }

    AnsiConsole.MarkupLine("[bold]where every row ended[/]:");
    var firstRowOf = new Dictionary<string, string>(StringComparer.Ordinal);
    foreach (var row in rows.Rows)
    {
        string outcome;
        if (row.RejectionReason is { } reason)
        {
            outcome = "[red]rejected[/]: " + Markup.Escape(reason.StartsWith(row.Position + ": ", StringComparison.Ordinal) ? reason[(row.Position.Length + 2)..] : reason);
        }
        else if (firstRowOf.TryGetValue(row.IdentityKey, out var first))
        {
            outcome = "[grey]duplicate[/] of " + Markup.Escape(first);
        }
        else
        {
            firstRowOf[row.IdentityKey] = row.Position;
            outcome = leads.TryGetValue(row.IdentityKey, out var lead) ? Markup.Escape(Outcome(lead)) : "[grey]duplicate[/] of a lead stored before this run";
        }

        AnsiConsole.MarkupLine($"  {Markup.Escape(row.Position)} → {outcome}");
    }

    if (rows.Read > rows.Rows.Count)
    {
        AnsiConsole.MarkupLineInterpolated($"  … and {rows.Read - rows.Rows.Count:N0} more rows (export them with --export)");
    }
}

static string Outcome(Lead lead) => lead.Status switch
{
    LeadStatus.Disqualified => "disqualified: " + string.Join("; ", lead.Qualification?.Reasons ?? []),
    LeadStatus.ManualReview => "manual review: " + (lead.Nurture?.Reason is { Length: > 0 } why ? why : string.Join("; ", lead.Qualification?.Reasons ?? [])),
    LeadStatus.Routed => $"qualified, routed to {lead.Routing?.Team}{(lead.Routing?.Owner is { } owner ? " (" + owner + ")" : "")}: {lead.Nurture?.Reason ?? "not mailed yet"}",
    LeadStatus.Contacted => $"qualified, routed to {lead.Routing?.Team}, contacted: {lead.Nurture?.Reason}",
    LeadStatus.Unsubscribed => "suppressed: " + lead.Nurture?.Reason,
    LeadStatus.Quarantined => $"quarantined at {lead.Fault?.Stage}: {lead.Fault?.Message}",
    _ => lead.Status.ToString().ToLowerInvariant(),
};

static bool TryParseArguments(string[] args, out int count, out int seed, out string database, out bool inMemory, out string? csvFile, out string? exportFile, out string error)
{
    csvFile = null;
    exportFile = null;
    count = DefaultCount;
    seed = DefaultSeed;
    database = Path.GetFullPath(DefaultDatabase);
    inMemory = false;
    error = string.Empty;
    var positional = new List<string>();
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--in-memory":
                inMemory = true;
                break;
            case "--db" when i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal):
                database = Path.GetFullPath(args[++i]);
                break;
            case "--db":
                error = "error: --db needs a file path.";
                return false;
            case "--csv" when i + 1 < args.Length && File.Exists(args[i + 1]):
                csvFile = Path.GetFullPath(args[++i]);
                break;
            case "--csv":
                error = "error: --csv needs an existing CSV file.";
                return false;
            case "--export" when i + 1 < args.Length && (args[i + 1].EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || args[i + 1].EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)):
                exportFile = Path.GetFullPath(args[++i]);
                break;
            case "--export":
                error = "error: --export needs a file name ending in .csv or .jsonl.";
                return false;
            case var option when option.StartsWith("--", StringComparison.Ordinal):
                error = $"error: unknown option '{option}'.";
                return false;
            default:
                positional.Add(args[i]);
                break;
        }
    }

    if (positional.Count > 2)
    {
        error = $"error: expected at most 2 numbers (count and seed), got {positional.Count}.";
        return false;
    }

    if (positional.Count >= 1 && (!int.TryParse(positional[0].Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out count) || count is < 1 or > 100_000_000))
    {
        error = $"error: count must be a whole number from 1 to 100000000 (got '{positional[0]}').";
        return false;
    }

    if (positional.Count == 2 && !int.TryParse(positional[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
    {
        error = $"error: seed must be an integer (got '{positional[1]}').";
        return false;
    }

    if (inMemory && args.Contains("--db"))
    {
        error = "error: --db and --in-memory cannot be used together.";
        return false;
    }

    return true;
}

static Table ProgressTable(PipelineProgress progress)
{
    var table = new Table().Border(TableBorder.Rounded)
        .Title($"elapsed {progress.Elapsed:mm\\:ss\\.f} · harvested {progress.Harvested:N0} · duplicates {progress.Duplicates:N0}")
        .AddColumn("stage").AddColumn(new TableColumn("in").RightAligned()).AddColumn(new TableColumn("out").RightAligned())
        .AddColumn(new TableColumn("ended here").RightAligned()).AddColumn(new TableColumn("queued").RightAligned())
        .AddColumn("state");
    foreach (var s in progress.Stages)
    {
        var state = s.Failed ? "[red]failed[/]" : s.Duration < progress.Elapsed - TimeSpan.FromMilliseconds(1) ? "[green]done[/]" : "[yellow]running[/]";
        table.AddRow(s.Name, s.In.ToString("N0", CultureInfo.InvariantCulture), s.Out.ToString("N0", CultureInfo.InvariantCulture),
            (s.Finished + s.Duplicates).ToString("N0", CultureInfo.InvariantCulture), s.QueueDepth.ToString("N0", CultureInfo.InvariantCulture), state);
    }

    return table;
}

static string ProgressLine(PipelineProgress progress) =>
    $"[{progress.Elapsed:mm\\:ss\\.f}] " + string.Join(" | ", progress.Stages.Select(s =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Out:N0}/{s.In:N0}")));

static void PrintFunnel(PipelineRunResult result, RecordingEmailSender sender, List<LeadQuarantined> quarantined)
{
    string Rate(long n) => result.Harvested == 0 ? "-" : ((double)n / result.Harvested).ToString("P1", CultureInfo.InvariantCulture);
    string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    AnsiConsole.WriteLine();
    AnsiConsole.MarkupLine($"[bold]Run {result.RunId}[/] ended [bold]{result.Status}[/] in {result.Duration.TotalSeconds:0.00} s");

    var funnel = new Table().Border(TableBorder.Rounded).Title("funnel")
        .AddColumn("stage").AddColumn(new TableColumn("in").RightAligned()).AddColumn(new TableColumn("in / harvested").RightAligned())
        .AddColumn(new TableColumn("passed on").RightAligned()).AddColumn(new TableColumn("ended here").RightAligned())
        .AddColumn(new TableColumn("busy").RightAligned());
    foreach (var s in result.Stages)
    {
        funnel.AddRow(s.Name, N(s.In), Rate(s.In), N(s.Out), N(s.Finished + s.Duplicates), $"{s.BusyTime.TotalMilliseconds:N0} ms");
    }

    AnsiConsole.Write(funnel);

    var outcomes = new Table().Border(TableBorder.Rounded).Title("where every harvested lead ended")
        .AddColumn("outcome").AddColumn(new TableColumn("count").RightAligned()).AddColumn(new TableColumn("rate").RightAligned());
    outcomes.AddRow("rejected at intake", N(result.Rejected), Rate(result.Rejected));
    outcomes.AddRow("duplicates", N(result.Duplicates), Rate(result.Duplicates));
    outcomes.AddRow("disqualified", N(result.Disqualified), Rate(result.Disqualified));
    outcomes.AddRow("manual review", N(result.ManualReview), Rate(result.ManualReview));
    outcomes.AddRow("routed, not sent", N(result.Routed), Rate(result.Routed));
    outcomes.AddRow("contacted", N(result.Contacted), Rate(result.Contacted));
    outcomes.AddRow("suppressed", N(result.Suppressed), Rate(result.Suppressed));
    outcomes.AddRow("quarantined", N(result.Quarantined), Rate(result.Quarantined));
    outcomes.AddRow("pending (run stopped)", N(result.Pending), Rate(result.Pending));
    outcomes.AddRow("[bold]harvested[/]", $"[bold]{N(result.Harvested)}[/]", result.IsBalanced ? "[green]balanced[/]" : "[red]NOT balanced[/]");
    if (result.Resumed > 0)
    {
        outcomes.AddRow("[bold]taken over from the interrupted attempt[/]", $"[bold]{N(result.Resumed)}[/]", string.Empty);
    }
    AnsiConsole.Write(outcomes);

    if (quarantined.Count > 0)
    {
        AnsiConsole.MarkupLine($"[yellow]quarantined leads[/] (first {Math.Min(10, quarantined.Count)} of {N(result.Quarantined)}):");
        foreach (var q in quarantined.Take(10))
        {
            AnsiConsole.MarkupLineInterpolated($"  {q.LeadId} at {q.Fault.Stage}: {q.Fault.ErrorType}: {q.Fault.Message}");
        }
    }

    foreach (var e in result.Errors)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]error[/] in {e.Stage}{(e.Source is null ? "" : "/" + e.Source)}: {e.ErrorType}: {e.Message}");
    }

    AnsiConsole.MarkupLine($"emails accepted by the transport: {N(sender.Count)}; duplicate sends: {sender.DuplicateKeys.Count}");
    AnsiConsole.MarkupLine($"success rate (routed or contacted / harvested): [bold]{result.SuccessRate:P1}[/]");
    AnsiConsole.MarkupLine($"throughput: [bold]{result.Throughput:N0} leads/s[/] ({N(result.Harvested)} harvested in {result.Duration.TotalSeconds:0.00} s)");
}
