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

        services.RemoveAll<ILeadRepository>();
        services.RemoveAll<ICampaignRepository>();
        services.RemoveAll<IRunRepository>();
        services.RemoveAll<IAuditLog>();
        services.RemoveAll<IEmailOutbox>();
        services.RemoveAll<ISuppressionList>();
        services.RemoveAll<IRejectionLog>();
        services.RemoveAll<IJobStore>();
        services.RemoveAll<IMessageInbox>();
        services.RemoveAll<ILimitCounters>();
        services.AddSingleton<ILeadRepository, SqliteLeadRepository>();
        services.AddSingleton<ICampaignRepository, SqliteCampaignRepository>();
        services.AddSingleton<IRunRepository, SqliteRunRepository>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();
        services.AddSingleton<IEmailOutbox, SqliteEmailOutbox>();
        services.AddSingleton<ISuppressionList, SqliteSuppressionList>();
        services.AddSingleton<IRejectionLog, SqliteRejectionLog>();
        services.AddSingleton<IJobStore, SqliteJobStore>();
        services.AddSingleton<ILeadStatistics, SqliteLeadStatistics>();
        services.AddSingleton<IMessageInbox, SqliteMessageInbox>();
        services.AddSingleton<ILimitCounters, SqliteLimitCounters>();

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
