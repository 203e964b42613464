namespace Aicmo.Sdk.RabbitMQ.Tests.MultiProcess;

/// <summary>The worker sample refuses a command line it cannot run with: exit code 2 and a message saying what to change.</summary>
public sealed class SampleCommandLineTests
{
    [Theory]
    [InlineData("--rabbitmq needs --postgres", "--rabbitmq", "amqp://127.0.0.1:1/")]
    [InlineData("add --rabbitmq <uri>", "--postgres", "Host=127.0.0.1")]
    [InlineData("add --rabbitmq <uri>", "--worker")]
    [InlineData("--runs and --leads belong to the process that starts the runs", "--rabbitmq", "amqp://127.0.0.1:1/", "--postgres", "Host=127.0.0.1", "--worker", "--leads", "10")]
    [InlineData("--leads must be a whole number of at least 1", "--rabbitmq", "amqp://127.0.0.1:1/", "--postgres", "Host=127.0.0.1", "--leads", "none")]
    public async Task BadCommandLine_ExitsWith2AndSaysWhatToChange(string message, params string[] arguments)
    {
        await using var process = SampleProcess.Start("sample", arguments);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains(message, process.Describe(), StringComparison.Ordinal);
    }
}
