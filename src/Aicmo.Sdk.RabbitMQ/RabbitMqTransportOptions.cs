namespace Aicmo.Sdk.RabbitMQ;

/// <summary>
/// Options of the RabbitMQ transport: where the broker is, how its queues are named, and how much work each process takes at
/// once. Validated at start-up by <see cref="RabbitMqTransportOptionsValidator"/>.
/// </summary>
public sealed class RabbitMqTransportOptions
{
    /// <summary>The broker's AMQP URI, for example <c>amqp://user:password@broker:5672/vhost</c>. Required.</summary>
    public Uri? Uri { get; set; }

    /// <summary>
    /// The prefix of every exchange and queue the transport declares (<c>{prefix}.{stage}</c>, <c>{prefix}.parked</c>), so
    /// several pipelines can share a virtual host. Letters, digits, <c>.</c>, <c>-</c> and <c>_</c>; default <c>aicmo</c>.
    /// </summary>
    public string QueuePrefix { get; set; } = "aicmo";

    /// <summary>
    /// How many unacknowledged batches the broker hands one consumer of a stage at once (AMQP <c>basic.qos</c> prefetch).
    /// Default 8.
    /// </summary>
    public ushort Prefetch { get; set; } = 8;

    /// <summary>How many batches of one stage a process works on at once. Default 2.</summary>
    public ushort ConsumerConcurrency { get; set; } = 2;

    /// <summary>
    /// The most publishes awaiting the broker's confirm on one channel; further publishes wait. Default 256.
    /// </summary>
    public int MaxOutstandingConfirms { get; set; } = 256;

    /// <summary>
    /// How many times a batch is tried (a failed attempt is published again with its attempt count raised) before it is
    /// parked. Counted by the transport itself in the <c>x-aicmo-attempt</c> header, since brokers before 4.0 count
    /// redeliveries differently. Default 5.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// The broker's own delivery limit on each stage queue (<c>x-delivery-limit</c> of a quorum queue): a batch whose
    /// deliveries were never acknowledged this many times (its consumers died while working on it) is dead-lettered to the
    /// parking queue by the broker. Default 10.
    /// </summary>
    public int DeliveryLimit { get; set; } = 10;

    /// <summary>
    /// The stages whose queues this process consumes, by name (<c>enrich</c>, <c>score</c>, <c>qualify</c>, <c>route</c>,
    /// <c>nurture</c>, or a custom stage's name); empty, the default, for all of them. A process still publishes to every stage,
    /// and the process that starts a run still harvests and dedups it; a batch of a stage no live process consumes waits in its
    /// queue. A name the pipeline has no stage for fails at start-up, naming it.
    /// </summary>
    public IList<string> Stages { get; } = new List<string>();

    /// <summary>
    /// Whether this process is a worker: at host start it consumes the queues of its <see cref="Stages"/> and joins the runs
    /// other processes started as their batches arrive, without starting a run itself. Without it, a process consumes a stage's
    /// queue from the moment one of its own runs opens the stage (and then joins other processes' runs too). Default
    /// <see langword="false"/>.
    /// </summary>
    public bool JoinRuns { get; set; }

    /// <summary>
    /// How long a run this process joined may go without a batch here before the process leaves it (it joins again when the next
    /// batch arrives). The run's origin also tells every process when the run ends or is cancelled; this bounds what a process
    /// keeps open when that message never comes (the origin died). Between 1 second and 1 day; default 1 minute.
    /// </summary>
    public TimeSpan JoinedRunIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The connection name the broker shows for this process (management UI, <c>rabbitmqctl list_connections</c>).</summary>
    public string? ClientProvidedName { get; set; }
}
