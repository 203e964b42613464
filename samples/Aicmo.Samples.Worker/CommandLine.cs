using System.Globalization;

namespace Aicmo.Samples.Worker;

/// <summary>The sample's own options on the command line (<c>--name value</c> and flags); everything else goes to the host's configuration.</summary>
internal sealed class CommandLine
{
    private static readonly string[] Valued =
        ["--run-for", "--expect-jobs", "--rabbitmq", "--postgres", "--schema", "--queue-prefix", "--leads", "--runs", "--campaign", "--sends-file", "--send-latency-ms", "--stages"];

    private static readonly string[] Flags = ["--worker", "--stop-when-stdin-closes"];

    private readonly string[] _args;

    public CommandLine(string[] args)
    {
        _args = args;
        HostArgs = args.Where((_, i) => !IsOwn(i)).ToArray();
    }

    /// <summary>Gets the arguments that are not the sample's own (configuration overrides such as <c>--Aicmo:Key=value</c>).</summary>
    public string[] HostArgs { get; }

    public string? Value(string name)
    {
        var i = Array.IndexOf(_args, name);
        if (i < 0)
        {
            return null;
        }

        return i + 1 < _args.Length ? _args[i + 1] : throw new UsageException($"{name} needs a value.");
    }

    public bool Flag(string name) => _args.Contains(name);

    public int Int(string name, int defaultValue, int min)
    {
        var text = Value(name);
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new UsageException($"{name} must be a whole number of at least {min} (was '{text}').");
    }

    private bool IsOwn(int i) =>
        Valued.Contains(_args[i]) || Flags.Contains(_args[i]) || (i > 0 && Valued.Contains(_args[i - 1]));
}
