using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Pipeline.Transport;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// The RabbitMQ transport alone, through the seam the runner uses (<see cref="ILeadBatchTransport"/>): publish
/// <see cref="Batches"/> batches of 100 lead ids to one stage, each awaited until the broker's confirm (several publishers at
/// once), and consume and acknowledge every one of them. No store, no stage. Needs <c>AICMO_RABBITMQ_URI</c>. Messages/s is
/// <c>Batches / Mean</c>.
/// </summary>
[Config(typeof(LongRunConfig))]
public class RabbitMqTransportBenchmarks
{
    private static readonly Guid[] Ids = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToArray();
    private ServiceProvider? _services;
    private ILeadBatchTransport? _transport;

    [Params(2_000)]
    public int Batches { get; set; }

    [Params(1, 8)]
    public int Publishers { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        var uri = Environment.GetEnvironmentVariable("AICMO_RABBITMQ_URI")
            ?? throw new InvalidOperationException("AICMO_RABBITMQ_URI is not set: `source .ci/services.d/rabbitmq.sh` starts a throwaway broker.");
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UseRabbitMQ(uri, o => o.QueuePrefix = "benchmq" + Guid.NewGuid().ToString("N")[..8]);
        _services = services.BuildServiceProvider();
        _transport = _services.GetRequiredService<ILeadBatchTransport>();
    }

    [GlobalCleanup]
    public void GlobalCleanup() => _services!.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "publish with confirms, consume, acknowledge")]
    public async Task<long> PublishConsumeAcknowledge()
    {
        var run = Guid.NewGuid();
        await using var queue = await _transport!.OpenAsync(run, "bench", "enrich", CancellationToken.None);
        var consumed = ConsumeAsync(queue);
        var next = 0L;
        var publishers = Enumerable.Range(0, Publishers).Select(async _ =>
        {
            long batch;
            while ((batch = Interlocked.Increment(ref next)) <= Batches)
            {
                await queue.PublishAsync(new LeadIdBatch(run, "bench", batch, "enrich", Ids), CancellationToken.None);
            }
        });
        await Task.WhenAll(publishers);
        var count = await consumed;
        Check.Equal(Batches, count, "batches consumed");
        return count;
    }

    private async Task<long> ConsumeAsync(ILeadBatchQueue queue)
    {
        var count = 0L;
        while (count < Batches && await queue.Deliveries.WaitToReadAsync())
        {
            while (queue.Deliveries.TryRead(out var delivery))
            {
                await delivery.AcknowledgeAsync(CancellationToken.None);
                count++;
            }
        }

        return count;
    }
}
