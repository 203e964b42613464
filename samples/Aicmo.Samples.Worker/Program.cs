using System.Globalization;
using Aicmo.Samples.Worker;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A worker service whose campaign runs on its own: an hourly harvest-and-pipeline schedule and a nurture pass every minute,
// both defined in appsettings.json, persisted to SQLite; also a nightly harvest-only import whose leads wait in New, and a
// backlog job on weekday mornings that carries them through the rest of the pipeline. Ctrl+C stops it gracefully: a running job drains and checkpoints,
// and the next start resumes it.
//   dotnet run --project samples/Aicmo.Samples.Worker [-- --run-for <seconds> [--expect-jobs <n>]] [--Aicmo:Key=value ...]
// --run-for stops it after that many seconds; --expect-jobs then exits with 1 unless at least n jobs completed (a smoke check).
//
// With --rabbitmq <uri> --postgres <connection string> it runs on a shared PostgreSQL store and moves batches through RabbitMQ
// instead (see ScaleOut.cs and docs/scale-out.md): one process starts the runs, processes started with --worker join them.
//   dotnet run --project samples/Aicmo.Samples.Worker -- --rabbitmq <uri> --postgres <cs> [--leads <n>] [--runs <n>] [--campaign <id>]
//   dotnet run --project samples/Aicmo.Samples.Worker -- --rabbitmq <uri> --postgres <cs> --worker [--stages enrich,score]
//   common: [--schema <name>] [--queue-prefix <prefix>] [--sends-file <path> [--send-latency-ms <ms>]] [--Aicmo:Pipeline:Key=value ...]
var line = new CommandLine(args);
if (line.Value("--rabbitmq") is not null || line.Value("--postgres") is not null || line.Flag("--worker"))
{
    try
    {
        if (line.Value("--rabbitmq") is null)
        {
            throw new UsageException("--postgres and --worker belong to the RabbitMQ mode: add --rabbitmq <uri>.");
        }

        return await ScaleOut.RunAsync(line);
    }
    catch (UsageException ex)
    {
        await Console.Error.WriteLineAsync(ex.Message);
        return 2;
    }
}

var runFor = line.Value("--run-for");
var expectJobs = line.Value("--expect-jobs");
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = line.HostArgs,
    ContentRootPath = AppContext.BaseDirectory, // appsettings.json sits beside the program, wherever it is started from
});
var aicmo = builder.Configuration.GetSection("Aicmo");
var campaignId = aicmo["Campaign"] ?? "spring-launch";

builder.Services.AddAicmoPipeline()
    .AddLeadSource(new SyntheticLeadSource(aicmo.GetValue("SyntheticLeads", 2000), seed: 42))
    .AddEmailSender(new RecordingEmailSender { RetainMessages = false })
    .UseSqlite(aicmo["ConnectionString"] ?? "Data Source=aicmo-worker.db")
    .AddScheduler(o => aicmo.GetSection("Scheduler").Bind(o));

using var host = builder.Build();

// The campaign exists from the start, so its nurture pass is scheduled before its first harvest.
await host.Services.GetRequiredService<ICampaignRepository>().GetOrAddAsync(
    new Campaign { Id = campaignId, Name = "Spring launch", CreatedAt = DateTimeOffset.UtcNow });

if (runFor is null)
{
    await host.RunAsync();
    return 0;
}

await host.StartAsync();
await Task.Delay(TimeSpan.FromSeconds(double.Parse(runFor, CultureInfo.InvariantCulture)));
await host.StopAsync();

var history = await host.Services.GetRequiredService<IScheduleManager>().HistoryAsync(new JobResultQuery { CampaignId = campaignId, Take = 1000 });
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Aicmo.Samples.Worker");
foreach (var group in history.GroupBy(r => (r.JobKind, r.Status)))
{
    logger.LogInformation("{Count} {JobKind} job(s) {Status}", group.Count(), group.Key.JobKind, group.Key.Status);
}

var completed = history.Count(r => r.Status is JobStatus.Completed or JobStatus.CompletedWithErrors);
return expectJobs is not null && completed < int.Parse(expectJobs, CultureInfo.InvariantCulture) ? 1 : 0;
