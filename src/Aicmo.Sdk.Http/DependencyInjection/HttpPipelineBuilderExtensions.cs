using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Http.Enrichment;
using Aicmo.Sdk.Http.Internal;
using Aicmo.Sdk.Http.Security;
using Aicmo.Sdk.Http.Security.Internal;
using Aicmo.Sdk.Http.Sources;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds HTTP lead sources and enrichment providers to the pipeline.</summary>
/// <remarks>
/// Each gets its own named <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>: the standard resilience pipeline
/// (total and attempt timeouts, retries of 408, 429, 5xx and network errors honouring <c>Retry-After</c> and never repeating a
/// <c>POST</c> unless it is declared idempotent, a circuit breaker) over a connection handler with the endpoint guard. Options
/// are validated when the host starts.
/// </remarks>
public static class HttpPipelineBuilderExtensions
{
    /// <summary>Adds an <see cref="HttpLeadSource"/> named <paramref name="name"/> (its client is <c>aicmo-http-source:</c>name).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The source's name; also names its options and client.</param>
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
        AddClient<HttpLeadSourceOptions>(services, clientName, static o => o.Guard, static o => new ClientResilience(
            o.AttemptTimeout, o.TotalTimeout, o.MaxRetryAttempts, o.RetryBaseDelay, o.IdempotentPost, o.CircuitBreakerFailureRatio, o.CircuitBreakerMinimumThroughput, o.CircuitBreakerBreakDuration));
        services.AddSingleton<ILeadSource>(sp => new HttpLeadSource(
            name,
            Get<HttpLeadSourceOptions>(sp, clientName),
            () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            sp.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// Adds an <see cref="HttpEnrichmentProvider"/> named <paramref name="name"/> (its client is <c>aicmo-http-enrichment:</c>name),
    /// asked by the waterfall after the providers added before it.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The provider's name (the provenance of its values); also names its options and client.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddHttpEnrichmentProvider(this IAicmoPipelineBuilder builder, string name, Action<HttpEnrichmentProviderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var clientName = "aicmo-http-enrichment:" + name;
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<HttpEnrichmentProviderOptions>(clientName).Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpEnrichmentProviderOptions>, HttpEnrichmentProviderOptionsValidator>());
        AddClient<HttpEnrichmentProviderOptions>(services, clientName, static o => o.Guard, static o => new ClientResilience(
            o.AttemptTimeout, o.TotalTimeout, o.MaxRetryAttempts, o.RetryBaseDelay, o.IdempotentPost, o.CircuitBreakerFailureRatio, o.CircuitBreakerMinimumThroughput, o.CircuitBreakerBreakDuration));
        services.AddSingleton<IEnrichmentProvider>(sp => new HttpEnrichmentProvider(
            name,
            Get<HttpEnrichmentProviderOptions>(sp, clientName),
            () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            sp.GetService<TimeProvider>()));
        return builder;
    }

    private static void AddClient<TOptions>(IServiceCollection services, string clientName, Func<TOptions, HttpEndpointGuardOptions> guard, Func<TOptions, ClientResilience> resilience)
        where TOptions : class
    {
        services.AddHttpClient(clientName)
            .ConfigurePrimaryHttpMessageHandler(sp => HttpEndpointGuard.CreateHandler(guard(Get<TOptions>(sp, clientName))))
            .AddStandardResilienceHandler()
            .Configure((options, sp) => resilience(Get<TOptions>(sp, clientName)).ApplyTo(options));
    }

    private static TOptions Get<TOptions>(IServiceProvider sp, string name)
        where TOptions : class => sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);
}
