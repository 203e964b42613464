using Microsoft.Data.Sqlite;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Sqlite;

/// <summary>Validates <see cref="SqliteStoreOptions"/> when the host starts or the stores are first used.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{nameof(SqliteStoreOptions)}.{nameof(SqliteStoreOptions.ConnectionString)} is required, for example \"Data Source=aicmo.db\".");
        }
        else
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
                {
                    failures.Add(
                        $"{nameof(SqliteStoreOptions)}.{nameof(SqliteStoreOptions.ConnectionString)} must name a database file; " +
                        "for an in-memory store call UseInMemoryStores().");
                }
                else if (builder.Mode == SqliteOpenMode.ReadOnly)
                {
                    failures.Add($"{nameof(SqliteStoreOptions)}.{nameof(SqliteStoreOptions.ConnectionString)} opens the database read-only; the stores write to it.");
                }
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{nameof(SqliteStoreOptions)}.{nameof(SqliteStoreOptions.ConnectionString)} is not a valid SQLite connection string: {ex.Message}");
            }
        }

        WriteBatchingChecks.Check(nameof(SqliteStoreOptions), options.WriteBatchSize, options.MaxWriteBatchDelay, failures);

        if (options.WalAutoCheckpointPages is < 100 or > 1_000_000)
        {
            failures.Add($"{nameof(SqliteStoreOptions)}.{nameof(SqliteStoreOptions.WalAutoCheckpointPages)} must be between 100 and 1000000 (was {options.WalAutoCheckpointPages}).");
        }


        if (options.BusyTimeout < TimeSpan.FromSeconds(1) || options.BusyTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{nameof(SqliteStoreOptions)}.{nameof(SqliteStoreOptions.BusyTimeout)} must be between 1 second and 1 hour (was {options.BusyTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
