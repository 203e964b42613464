using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>Options of the PostgreSQL stores registered by <c>UsePostgreSql</c>.</summary>
public sealed partial class PostgreSqlStoreOptions
{
    /// <summary>Gets or sets the Npgsql connection string, or <see langword="null"/> to use the <c>NpgsqlDataSource</c> registered in the container.</summary>
    /// <remarks>
    /// Unless the connection string sets <c>Max Auto Prepare</c> to a positive value, the stores turn on automatic preparation
    /// (<c>Max Auto Prepare=64;Auto Prepare Min Usages=2</c>), so the server parses and plans each of their statements once per
    /// connection; unless it names <c>No Reset On Close</c>, connections are not reset when they go back to the pool (the stores
    /// leave no session state). A data source taken from the container is used as configured.
    /// </remarks>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the schema the tables live in; it is created when missing.</summary>
    /// <value>The default value is <c>aicmo</c>. Lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters.</value>
    public string Schema { get; set; } = "aicmo";

    /// <summary>
    /// Gets or sets the largest number of audit events, or of single calls of one kind (lead adds and updates, outbox reads,
    /// reservations and sends, suppression look-ups), sent together in one statement.
    /// </summary>
    /// <remarks>
    /// Audit events are the most frequent write (one per state change). Events appended by concurrent pipeline workers queue up
    /// while a batch is written and go together in the next one. Likewise, single calls made by concurrent workers while a
    /// statement of their kind is at the server go together in the next one, over arrays; each completes once that statement does.
    /// </remarks>
    /// <value>The default value is 512. Must be between 1 and 100000.</value>
    public int WriteBatchSize { get; set; } = 512;

    /// <summary>Gets or sets how long the writer waits for more events before writing a batch that is not full.</summary>
    /// <value>The default value is zero (write whatever is queued as soon as the writer is free). Must be between zero and 1 second.</value>
    public TimeSpan MaxWriteBatchDelay { get; set; } = TimeSpan.Zero;

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    internal static partial Regex SchemaPattern();
}
