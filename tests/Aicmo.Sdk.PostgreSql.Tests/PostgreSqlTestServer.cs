using Aicmo.Sdk.Testing.Contracts;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql.Tests;

/// <summary>
/// The server the tests run against, from <c>AICMO_POSTGRES_CONNECTION</c> (set by <c>.ci/services.d/postgres.sh</c> under
/// <c>./build.sh test</c>). Without it the tests fail in CI (<c>CI=true</c>) and are skipped elsewhere, saying how to run them.
/// </summary>
public static class PostgreSqlTestServer
{
    public const string Variable = "AICMO_POSTGRES_CONNECTION";

    public const string HowToRun = $"{Variable} is not set: run ./build.sh test (it starts a throwaway server), or set {Variable} to an Npgsql connection string.";

    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidOperationException((IsCI ? "PostgreSQL tests never skip in CI. " : string.Empty) + HowToRun);
            }

            // Many test classes run at once, each with its own pool: keep the total under the server's connection limit.
            return new NpgsqlConnectionStringBuilder(value) { MaxPoolSize = 30, IncludeErrorDetail = true }.ConnectionString;
        }
    }
}

/// <summary>Skips a class's store facts when no server is configured, except in CI, where they run and fail saying why.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SkipWithoutPostgreSqlAttribute : StoreSkipAttribute
{
    public override string? GetSkipReason() =>
        PostgreSqlTestServer.IsConfigured || PostgreSqlTestServer.IsCI ? null : PostgreSqlTestServer.HowToRun;
}
