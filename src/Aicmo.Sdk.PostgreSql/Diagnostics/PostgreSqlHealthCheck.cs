using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aicmo.Sdk.PostgreSql.Diagnostics;

/// <summary>Reports the PostgreSQL store healthy when the server answers, its schema is migrated and a read succeeds.</summary>
/// <param name="database">The database the stores use.</param>
internal sealed class PostgreSqlHealthCheck(PostgreSqlDatabase database) : IHealthCheck
{
    /// <summary>The name the check is registered under.</summary>
    public const string Name = "aicmo-postgresql";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
            await using var command = await database.CommandAsync("SELECT version FROM {s}.schema_version;", cancellationToken).ConfigureAwait(false);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var applied = new HashSet<int>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }

            var missing = PostgreSqlSchema.Migrations.Where(m => !applied.Contains(m.Version)).Select(m => m.Version).ToList();
            return missing.Count == 0
                ? HealthCheckResult.Healthy("PostgreSQL store reachable; schema migrated.")
                : HealthCheckResult.Unhealthy($"PostgreSQL schema is missing migration(s) {string.Join(", ", missing)}.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's type only: its message may hold a host name or a connection detail.
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL store unreachable ({e.GetType().Name}).");
        }
    }
}
