using System.Diagnostics;
using System.Reflection;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>
/// Worker-sample processes started with <c>--worker</c> (they join the runs another process starts), built with this project
/// (see the project file). Started and stopped outside the measured runs; killed on dispose.
/// </summary>
public sealed class WorkerSampleProcesses : IDisposable
{
    private readonly List<Process> _processes = [];

    /// <summary>Gets the sample's program.</summary>
    public static string SampleDll { get; } =
        typeof(WorkerSampleProcesses).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WorkerSampleDll").Value!;

    /// <summary>Starts <paramref name="count"/> workers on the store schema and queue prefix given, and waits until each is ready.</summary>
    public static WorkerSampleProcesses Start(int count, string rabbitMq, string postgres, string schema, string prefix)
    {
        var workers = new WorkerSampleProcesses();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardInput = true,
                    UseShellExecute = false,
                };
                foreach (var argument in (string[])[SampleDll, "--worker", "--rabbitmq", rabbitMq, "--postgres", postgres, "--schema", schema, "--queue-prefix", prefix, "--stop-when-stdin-closes"])
                {
                    start.ArgumentList.Add(argument);
                }

                start.Environment["Logging__LogLevel__Default"] = "Warning";
                start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning";
                var process = Process.Start(start) ?? throw new InvalidOperationException("A worker process did not start.");
                workers._processes.Add(process);
                while (process.StandardOutput.ReadLine() is { } line && line != "ready")
                {
                }

                if (process.HasExited)
                {
                    throw new InvalidOperationException($"A worker process exited with {process.ExitCode} before it was ready.");
                }

                // Keep draining what it prints, so it never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync();
            }
        }
        catch
        {
            workers.Dispose();
            throw;
        }

        return workers;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(30_000);
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        _processes.Clear();
    }
}
