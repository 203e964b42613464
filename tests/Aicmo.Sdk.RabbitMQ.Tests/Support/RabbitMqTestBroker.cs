using System.Diagnostics;
using Aicmo.Sdk.RabbitMQ.Internal;
using Aicmo.Sdk.Testing.Contracts;
using RabbitMQ.Client;

namespace Aicmo.Sdk.RabbitMQ.Tests.Support;

/// <summary>
/// The broker the transport tests run against, from <c>AICMO_RABBITMQ_URI</c> (set by <c>.ci/services.d/rabbitmq.sh</c> under
/// <c>./build.sh test</c>, with <c>AICMO_RABBITMQ_CTL</c>, the command line that manages it). Without it the tests fail in CI
/// (<c>CI=true</c>) and are skipped elsewhere, saying how to run them. Each test declares its queues under a prefix of its own
/// and deletes them afterwards.
/// </summary>
internal static class RabbitMqTestBroker
{
    public const string Variable = "AICMO_RABBITMQ_URI";

    public const string HowToRun = $"{Variable} is not set: run ./build.sh test, or `source .ci/services.d/rabbitmq.sh` (it installs and starts a throwaway broker) before dotnet test.";

    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static Uri Uri => new(Environment.GetEnvironmentVariable(Variable)
        ?? throw new InvalidOperationException(HowToRun));

    public static RabbitMqTransportOptions NewOptions(Action<RabbitMqTransportOptions>? configure = null)
    {
        var options = new RabbitMqTransportOptions { Uri = Uri, QueuePrefix = "t" + Guid.NewGuid().ToString("N")[..12] };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Ready messages in a queue.</summary>
    public static async Task<uint> DepthAsync(RabbitMqConnectionProvider connections, string queue)
    {
        var connection = await connections.GetAsync(CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        var ok = await channel.QueueDeclarePassiveAsync(queue);
        await channel.CloseAsync();
        return ok.MessageCount;
    }

    /// <summary>
    /// Deletes what a test declared: the stage queues named, the parking queue, and the exchanges (batches, parked batches, run
    /// reports and run control). A run's report queue is deleted by the process that received on it, or expires.
    /// </summary>
    public static async Task DeleteTopologyAsync(RabbitMqConnectionProvider connections, IEnumerable<string> stages)
    {
        var factory = new ConnectionFactory { Uri = Uri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var stage in stages)
        {
            await channel.QueueDeleteAsync(connections.Names.StageQueue(stage));
        }

        await channel.QueueDeleteAsync(connections.Names.ParkingQueue);
        await channel.ExchangeDeleteAsync(connections.Names.Exchange);
        await channel.ExchangeDeleteAsync(connections.Names.ParkingExchange);
        await channel.ExchangeDeleteAsync(connections.Names.RunsExchange);
        await channel.ExchangeDeleteAsync(connections.Names.ControlExchange);
        await channel.CloseAsync();
    }

    /// <summary>Runs <c>rabbitmqctl</c> against the test broker (for example <c>stop_app</c>, then <c>start_app</c>).</summary>
    public static async Task ControlAsync(string arguments)
    {
        var control = Environment.GetEnvironmentVariable("AICMO_RABBITMQ_CTL")
            ?? throw new InvalidOperationException("AICMO_RABBITMQ_CTL is not set: the broker was not started by .ci/services.d/rabbitmq.sh.");
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", $"{control} -q {arguments}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {arguments} failed ({process.ExitCode}): {await error}");
        }
    }
}

/// <summary>Skips a class's <see cref="StoreFactAttribute"/> facts when no broker is configured, except in CI, where they run and fail saying why.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SkipWithoutRabbitMqAttribute : StoreSkipAttribute
{
    public override string? GetSkipReason() => RabbitMqTestBroker.IsConfigured || RabbitMqTestBroker.IsCI ? null : RabbitMqTestBroker.HowToRun;
}
