using Microsoft.Extensions.Diagnostics.HealthChecks;
using Aicmo.Sdk.Sqlite.Diagnostics;
using Aicmo.Sdk.Sqlite;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the pipeline's leads, runs, audit trail, outbox and suppression list in a SQLite database file.</summary>
public static class SqlitePipelineBuilderExtensions
{
    /// <summary>
    /// Uses SQLite for every store, replacing stores registered earlier. The file is created when missing; the schema is created
    /// or migrated on first use, in WAL mode, and writes from concurrent pipeline workers are committed in batches.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string, for example <c>Data Source=aicmo.db</c>.</param>
    /// <param name="configure">Adjusts batching and timeouts; see <see cref="SqliteStoreOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UseSqlite(this IAicmoPipelineBuilder builder, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var services = builder.Services;
        services.AddOptions<SqliteStoreOptions>()
            .Configure(o =>
            {
                o.ConnectionString = connectionString;
                configure?.Invoke(o);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        services.TryAddSingleton<SqliteDatabase>();

        builder.UseStores(static stores =>
        {
            stores.AddSingleton<ILeadRepository, SqliteLeadRepository>();
            stores.AddSingleton<ICampaignRepository, SqliteCampaignRepository>();
            stores.AddSingleton<IRunRepository, SqliteRunRepository>();
            stores.AddSingleton<IAuditLog, SqliteAuditLog>();
            stores.AddSingleton<IEmailOutbox, SqliteEmailOutbox>();
            stores.AddSingleton<ISuppressionList, SqliteSuppressionList>();
            stores.AddSingleton<IRejectionLog, SqliteRejectionLog>();
            stores.AddSingleton<IJobStore, SqliteJobStore>();
            stores.AddSingleton<ILeadStatistics, SqliteLeadStatistics>();
            stores.AddSingleton<IMessageInbox, SqliteMessageInbox>();
            stores.AddSingleton<ILimitCounters, SqliteLimitCounters>();
        });

        // Readiness: the store is reachable and its schema migrated, tagged "ready" for a host's readiness probe. Only the
        // registration is added: the host's AddHealthChecks() runs it, and a host without health checks pays nothing.
        services.Configure<HealthCheckServiceOptions>(o =>
        {
            if (!o.Registrations.Any(r => r.Name == SqliteHealthCheck.Name))
            {
                o.Registrations.Add(new HealthCheckRegistration(
                    SqliteHealthCheck.Name, sp => ActivatorUtilities.CreateInstance<SqliteHealthCheck>(sp), failureStatus: null, tags: ["ready", "aicmo"]));
            }
        });
        return builder;
    }
}
