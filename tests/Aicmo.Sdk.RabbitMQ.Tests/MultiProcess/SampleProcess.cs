using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Aicmo.Sdk.RabbitMQ.Tests.MultiProcess;

/// <summary>
/// One OS process of the worker sample (<c>dotnet Aicmo.Samples.Worker.dll …</c>, built with this test project). Collects what it
/// prints, waits for lines, and is killed with SIGKILL when asked, and in every path on dispose: a test never leaves one
/// running, and one whose test process died stops itself when its standard input closes (<c>--stop-when-stdin-closes</c>).
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<SampleProcess, byte> Live = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _errors = new();
    private readonly Lock _gate = new();
    private readonly Task _reading;
    private readonly Task _readingErrors;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    static SampleProcess()
    {
        // The test process ending normally (even with a test failed mid-way) takes its children with it.
        AppDomain.CurrentDomain.ProcessExit += static (_, _) =>
        {
            foreach (var process in Live.Keys)
            {
                process.Kill();
            }
        };
    }

    private SampleProcess(string name, IEnumerable<string> arguments)
    {
        Name = name;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SampleDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--stop-when-stdin-closes");

        // Only warnings and errors from the host's loggers: standard output carries the sample's own lines.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning";
        start.Environment["DOTNET_gcServer"] = "0";
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: the process did not start.");
        Live[this] = 0;
        _reading = ReadAsync();
        _readingErrors = ReadErrorsAsync();
    }

    /// <summary>Gets the sample's program, beside this test assembly's build (see the project file).</summary>
    public static string SampleDll { get; } =
        typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WorkerSampleDll").Value!;

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public static SampleProcess Start(string name, IEnumerable<string> arguments)
    {
        if (!File.Exists(SampleDll))
        {
            throw new InvalidOperationException($"The worker sample is not built at {SampleDll}: build the test project (it builds the sample first).");
        }

        return new SampleProcess(name, arguments);
    }

    /// <summary>Waits for a line that matches, failing with what the process printed when it exits first or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        using var timer = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_reading.IsCompleted)
            {
                throw new InvalidOperationException($"{Name} ended before {what}.\n{Describe()}");
            }

            try
            {
                await changed.WaitAsync(timer.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name}: no {what} within {timeout}.\n{Describe()}");
            }
        }
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout}.\n{Describe()}");
        }

        await Task.WhenAll(_reading, _readingErrors);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL (Process.Kill on Unix): no finally block, no flush, no graceful drain.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    /// <summary>SIGTERM: the host stops gracefully.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    /// <summary>What the process printed last, for failure messages.</summary>
    public string Describe()
    {
        var lines = _lines.ToArray();
        string errors;
        lock (_gate)
        {
            errors = _errors.ToString();
        }

        return $"--- {Name} (pid {_process.Id}{(_process.HasExited ? $", exit {_process.ExitCode}" : string.Empty)}), last output:\n"
            + string.Join('\n', lines.TakeLast(20)) + "\n--- standard error:\n" + errors[Math.Max(0, errors.Length - 3000)..];
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(_reading, _readingErrors).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }

        Live.TryRemove(this, out _);
        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        await Task.Yield();
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                _lines.Enqueue(line);
                Signal();
            }
        }
        finally
        {
            Signal();
        }
    }

    private async Task ReadErrorsAsync()
    {
        await Task.Yield();
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _errors.AppendLine(line);
            }
        }
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
