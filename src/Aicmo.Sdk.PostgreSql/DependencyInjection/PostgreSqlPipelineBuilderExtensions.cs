using Microsoft.Extensions.Diagnostics.HealthChecks;
using Aicmo.Sdk.PostgreSql.Diagnostics;
using Aicmo.Sdk.PostgreSql;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the pipeline's leads, runs, audit trail, outbox and suppression list in PostgreSQL, shared by several hosts.</summary>
public static class PostgreSqlPipelineBuilderExtensions
{
    /// <summary>
    /// Uses PostgreSQL for every store, replacing stores registered earlier. The schema is created or migrated on first use;
    /// hosts starting at once migrate one after another.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string, for example <c>Host=db;Database=aicmo;Username=aicmo;Password=...</c>.</param>
    /// <param name="configure">Adjusts the schema and batching; see <see cref="PostgreSqlStoreOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UsePostgreSql(this IAicmoPipelineBuilder builder, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSqlCore(o =>
        {
            o.ConnectionString = connectionString;
            configure?.Invoke(o);
        });
    }

    /// <summary>
    /// Uses PostgreSQL for every store through the <c>NpgsqlDataSource</c> registered in the container (for example by
    /// <c>services.AddNpgsqlDataSource(...)</c>), replacing stores registered earlier.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adjusts the schema and batching; see <see cref="PostgreSqlStoreOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UsePostgreSql(this IAicmoPipelineBuilder builder, Action<PostgreSqlStoreOptions>? configure = null) =>
        builder.UsePostgreSqlCore(o => configure?.Invoke(o));

    private static IAicmoPipelineBuilder UsePostgreSqlCore(this IAicmoPipelineBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PostgreSqlStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddSingleton<PostgreSqlDatabase>();

        builder.UseStores(static stores =>
        {
            stores.AddSingleton<ILeadRepository, PostgreSqlLeadRepository>();
            stores.AddSingleton<ICampaignRepository, PostgreSqlCampaignRepository>();
            stores.AddSingleton<IRunRepository, PostgreSqlRunRepository>();
            stores.AddSingleton<IAuditLog, PostgreSqlAuditLog>();
            stores.AddSingleton<IEmailOutbox, PostgreSqlEmailOutbox>();
            stores.AddSingleton<ISuppressionList, PostgreSqlSuppressionList>();
            stores.AddSingleton<IRejectionLog, PostgreSqlRejectionLog>();
            stores.AddSingleton<IJobStore, PostgreSqlJobStore>();
            stores.AddSingleton<ILeadStatistics, PostgreSqlLeadStatistics>();
            stores.AddSingleton<IMessageInbox, PostgreSqlMessageInbox>();
            stores.AddSingleton<ILimitCounters, PostgreSqlLimitCounters>();
        });

        // Readiness: the store is reachable and its schema migrated, tagged "ready" for a host's readiness probe. Only the
        // registration is added: the host's AddHealthChecks() runs it, and a host without health checks pays nothing.
        services.Configure<HealthCheckServiceOptions>(o =>
        {
            if (!o.Registrations.Any(r => r.Name == PostgreSqlHealthCheck.Name))
            {
                o.Registrations.Add(new HealthCheckRegistration(
                    PostgreSqlHealthCheck.Name, sp => ActivatorUtilities.CreateInstance<PostgreSqlHealthCheck>(sp), failureStatus: null, tags: ["ready", "aicmo"]));
            }
        });
        return builder;
    }
}
