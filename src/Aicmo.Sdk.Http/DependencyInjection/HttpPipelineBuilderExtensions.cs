using Aicmo.Sdk.Http.Security;
using Aicmo.Sdk.Http.Security.Internal;
using Aicmo.Sdk.Http.Sources;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds HTTP lead sources to the pipeline.</summary>
public static class HttpPipelineBuilderExtensions
{
    /// <summary>
    /// Adds an <see cref="HttpLeadSource"/> named <paramref name="name"/>, with its own named <see cref="HttpClient"/> from
    /// <see cref="IHttpClientFactory"/>: the standard resilience pipeline (total and attempt timeouts, retries honouring
    /// <c>Retry-After</c> and never repeating a <c>POST</c> unless <see cref="HttpLeadSourceOptions.IdempotentPost"/>, a circuit
    /// breaker) over a connection handler with the endpoint guard. Its options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The source's name; also names its options and its client (<c>aicmo-http-source:</c>name).</param>
    /// <param name="configure">Configures the options (bind them from configuration here, keeping keys in a secret store).</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddHttpLeadSource(this IAicmoPipelineBuilder builder, string name, Action<HttpLeadSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var clientName = "aicmo-http-source:" + name;
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<HttpLeadSourceOptions>(clientName).Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpLeadSourceOptions>, HttpLeadSourceOptionsValidator>());

        var client = services.AddHttpClient(clientName)
            .ConfigurePrimaryHttpMessageHandler(sp => HttpEndpointGuard.CreateHandler(Options(sp, clientName).Guard));
        client.AddStandardResilienceHandler().Configure((resilience, sp) => Apply(resilience, Options(sp, clientName)));

        services.AddSingleton<ILeadSource>(sp => new HttpLeadSource(
            name,
            Options(sp, clientName),
            () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            sp.GetService<TimeProvider>()));
        return builder;
    }

    private static HttpLeadSourceOptions Options(IServiceProvider sp, string clientName) =>
        sp.GetRequiredService<IOptionsMonitor<HttpLeadSourceOptions>>().Get(clientName);

    private static void Apply(HttpStandardResilienceOptions resilience, HttpLeadSourceOptions o)
    {
        resilience.AttemptTimeout.Timeout = o.AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = o.TotalTimeout;
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * o.AttemptTimeout.Ticks));
        resilience.CircuitBreaker.FailureRatio = o.CircuitBreakerFailureRatio;
        resilience.CircuitBreaker.MinimumThroughput = o.CircuitBreakerMinimumThroughput;
        resilience.CircuitBreaker.BreakDuration = o.CircuitBreakerBreakDuration;

        var retry = resilience.Retry;
        retry.MaxRetryAttempts = Math.Max(1, o.MaxRetryAttempts);
        retry.Delay = o.RetryBaseDelay;
        retry.ShouldRetryAfterHeader = true;

        // A connection the endpoint guard refused is final: retrying it would only ask again.
        var retries = o.MaxRetryAttempts > 0;
        retry.ShouldHandle = args => ValueTask.FromResult(retries && !IsGuardRefusal(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
        if (!o.IdempotentPost)
        {
            retry.DisableForUnsafeHttpMethods();
        }
    }

    private static bool IsGuardRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DisallowedEndpointException)
            {
                return true;
            }
        }

        return false;
    }
}
