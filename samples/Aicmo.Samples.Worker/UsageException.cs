namespace Aicmo.Samples.Worker;

/// <summary>A command line the sample cannot run with; its message says what to change.</summary>
internal sealed class UsageException(string message) : Exception(message);
