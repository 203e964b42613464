namespace Aicmo.Sdk.Storage.Sql;

/// <summary>
/// Which schema migrations a SQL store applies at start-up, the same decision for SQLite and PostgreSQL; each store runs the
/// statements and records the versions in its own way.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>Returns the migrations not yet recorded as applied, in version order.</summary>
    /// <remarks>
    /// Every migration not yet recorded is applied, in order: versions are reserved ahead by separate changes, so a database may
    /// hold a later version before an earlier one is released (a gap), and that one is applied when it arrives.
    /// </remarks>
    /// <param name="applied">The versions the database records as applied.</param>
    /// <param name="migrations">The migrations this version of the package holds.</param>
    /// <param name="tooNew">The message when the database is newer than the package, from its version and the package's latest.</param>
    /// <returns>The migrations to apply.</returns>
    /// <exception cref="InvalidOperationException">The database holds a version newer than any the package knows.</exception>
    public static IEnumerable<(int Version, string Description, string Sql)> Pending(
        HashSet<int> applied, IReadOnlyList<(int Version, string Description, string Sql)> migrations, Func<int, int, string> tooNew)
    {
        var current = applied.Count == 0 ? 0 : applied.Max();
        var latest = migrations.Max(m => m.Version);
        if (current > latest)
        {
            throw new InvalidOperationException(tooNew(current, latest));
        }

        return migrations.OrderBy(m => m.Version).Where(m => !applied.Contains(m.Version)).ToList();
    }
}
