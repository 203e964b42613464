using System.Text.RegularExpressions;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>Validates <see cref="PostgreSqlStoreOptions"/> when the host starts or the stores are first used.</summary>
internal sealed class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var failures = new List<string>();
        if (options.ConnectionString is { } cs)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(cs);
                if (string.IsNullOrWhiteSpace(cs))
                {
                    failures.Add($"{nameof(PostgreSqlStoreOptions)}.{nameof(PostgreSqlStoreOptions.ConnectionString)} is empty.");
                }
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{nameof(PostgreSqlStoreOptions)}.{nameof(PostgreSqlStoreOptions.ConnectionString)} is not a valid Npgsql connection string: {ex.Message}");
            }
        }

        if (options.Schema is null || !PostgreSqlStoreOptions.SchemaPattern().IsMatch(options.Schema))
        {
            failures.Add(
                $"{nameof(PostgreSqlStoreOptions)}.{nameof(PostgreSqlStoreOptions.Schema)} must be lower-case letters, digits and underscores, " +
                $"starting with a letter or underscore, at most 63 characters (was '{options.Schema}').");
        }

        WriteBatchingChecks.Check(nameof(PostgreSqlStoreOptions), options.WriteBatchSize, options.MaxWriteBatchDelay, failures);


        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
