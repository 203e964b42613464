using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.RabbitMQ;
using Aicmo.Sdk.RabbitMQ.Internal;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Moves the pipeline's batches between its stages through RabbitMQ.</summary>
public static class RabbitMqPipelineBuilderExtensions
{
    /// <summary>
    /// Moves every run's batches between its stages after dedup through RabbitMQ: batches of lead ids in a durable quorum queue
    /// per stage, published with confirms, acknowledged only after the stage's writes committed. The leads are read from the
    /// pipeline's store, which must be one every process shares (PostgreSQL). A run started in one process is worked on by
    /// every process consuming its stages' queues: a process joins a run when the run's first batch reaches it, reports each
    /// batch to the process that started the run, and stops when that process announces the run's end or cancellation. Set
    /// <see cref="RabbitMqTransportOptions.Stages"/> to consume only some stages here, and
    /// <see cref="RabbitMqTransportOptions.JoinRuns"/> for a worker that consumes from host start. Also registers
    /// <see cref="RabbitMqParkingLot"/>, a hosted service that starts the transport with the host, and a readiness health check
    /// tagged <c>ready</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="uri">The broker's AMQP URI, for example <c>amqp://user:password@broker:5672/vhost</c>.</param>
    /// <param name="configure">Adjusts the queues' prefix, prefetch, consumer concurrency and limits; see <see cref="RabbitMqTransportOptions"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="uri"/> is <see langword="null"/>.</exception>
    public static IAicmoPipelineBuilder UseRabbitMQ(this IAicmoPipelineBuilder builder, Uri uri, Action<RabbitMqTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(uri);
        var services = builder.Services;
        services.AddOptions<RabbitMqTransportOptions>().Configure(o =>
        {
            o.Uri = uri;
            configure?.Invoke(o);
        }).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RabbitMqTransportOptions>, RabbitMqTransportOptionsValidator>());
        services.TryAddSingleton(static sp => new RabbitMqConnectionProvider(sp.GetRequiredService<IOptions<RabbitMqTransportOptions>>().Value));
        services.TryAddSingleton(static sp => new RabbitMqLeadBatchTransport(
            sp.GetRequiredService<RabbitMqConnectionProvider>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Aicmo.Sdk.RabbitMQ"),
            sp.GetService<IMessageInbox>(),
            sp.GetService<TimeProvider>()));
        services.RemoveAll<ILeadBatchTransport>();
        services.AddSingleton<ILeadBatchTransport>(static sp => sp.GetRequiredService<RabbitMqLeadBatchTransport>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RabbitMqTransportHostedService>());
        services.TryAddSingleton(static sp => new RabbitMqParkingLot(sp.GetRequiredService<RabbitMqConnectionProvider>(), sp.GetService<LeadQuarantine>()));
        services.Configure<HealthCheckServiceOptions>(o =>
        {
            if (!o.Registrations.Any(r => r.Name == "aicmo-rabbitmq"))
            {
                o.Registrations.Add(new HealthCheckRegistration(
                    "aicmo-rabbitmq", static sp => new RabbitMqHealthCheck(sp.GetRequiredService<RabbitMqConnectionProvider>()), failureStatus: null, tags: ["ready", "aicmo"]));
            }
        });
        return builder;
    }

    /// <summary>Moves the pipeline's batches through RabbitMQ; see <see cref="UseRabbitMQ(IAicmoPipelineBuilder, Uri, Action{RabbitMqTransportOptions}?)"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="uri">The broker's AMQP URI.</param>
    /// <param name="configure">Adjusts the transport; see <see cref="RabbitMqTransportOptions"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="uri"/> is empty or not an absolute URI.</exception>
    public static IAicmoPipelineBuilder UseRabbitMQ(this IAicmoPipelineBuilder builder, string uri, Action<RabbitMqTransportOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw new ArgumentException($"'{uri}' is not an absolute AMQP URI such as amqp://user:password@broker:5672/vhost.", nameof(uri));
        }

        return builder.UseRabbitMQ(parsed, configure);
    }
}
