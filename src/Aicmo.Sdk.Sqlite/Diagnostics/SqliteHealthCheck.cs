using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aicmo.Sdk.Sqlite.Diagnostics;

/// <summary>Reports the SQLite store healthy when its file opens, its schema is migrated and a read succeeds.</summary>
/// <param name="database">The database the stores use.</param>
internal sealed class SqliteHealthCheck(SqliteDatabase database) : IHealthCheck
{
    /// <summary>The name the check is registered under.</summary>
    public const string Name = "aicmo-sqlite";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // EnsureInitializedAsync migrates the schema on first use; after it, the recorded versions must cover every migration.
            await database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
            var missing = await database.ReadAsync(
                c =>
                {
                    using var command = c.CreateCommand();
                    command.CommandText = "SELECT version FROM aicmo_schema_version;";
                    using var reader = command.ExecuteReader();
                    var applied = new HashSet<int>();
                    while (reader.Read())
                    {
                        applied.Add(reader.GetInt32(0));
                    }

                    return SqliteSchema.Migrations.Where(m => !applied.Contains(m.Version)).Select(m => m.Version).ToList();
                },
                cancellationToken).ConfigureAwait(false);
            return missing.Count == 0
                ? HealthCheckResult.Healthy("SQLite store reachable; schema migrated.")
                : HealthCheckResult.Unhealthy($"SQLite schema is missing migration(s) {string.Join(", ", missing)}.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's type only: its message may hold a path or a connection detail.
            return new HealthCheckResult(context.Registration.FailureStatus, $"SQLite store unreachable ({e.GetType().Name}).");
        }
    }
}
