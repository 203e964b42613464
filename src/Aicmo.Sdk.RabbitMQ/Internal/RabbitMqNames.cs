namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>The names of what the transport declares on the broker, and of the headers it writes.</summary>
internal sealed class RabbitMqNames(string prefix)
{
    /// <summary>Our own attempt count (brokers before 4.0 count redeliveries differently, so it is not read from them).</summary>
    public const string AttemptHeader = "x-aicmo-attempt";

    /// <summary>The stage a parked batch was meant for.</summary>
    public const string StageHeader = "x-aicmo-stage";

    /// <summary>Why a batch was parked.</summary>
    public const string ParkReasonHeader = "x-aicmo-park-reason";

    /// <summary>The direct exchange batches are published to, routed by stage name.</summary>
    public string Exchange { get; } = prefix;

    /// <summary>The fanout exchange parked batches go through (also the stage queues' dead-letter exchange).</summary>
    public string ParkingExchange { get; } = prefix + ".parked";

    /// <summary>The queue that holds parked batches until they are replayed.</summary>
    public string ParkingQueue { get; } = prefix + ".parked";

    /// <summary>The direct exchange batch reports go through to the process that started their run, routed by run id.</summary>
    public string RunsExchange { get; } = prefix + ".runs";

    /// <summary>The fanout exchange every process hears the end and cancellation of runs on.</summary>
    public string ControlExchange { get; } = prefix + ".control";

    /// <summary>The routing key of a run's reports.</summary>
    public static string RunKey(Guid runId) => runId.ToString("N");

    /// <summary>The queue the process that started a run receives its reports on (exclusive to that process).</summary>
    public string RunQueue(Guid runId) => Exchange + ".run." + RunKey(runId);

    /// <summary>The queue of one stage.</summary>
    public string StageQueue(string stage) => Exchange + ".stage." + stage;
}
