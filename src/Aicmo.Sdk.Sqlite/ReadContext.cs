using Microsoft.Data.Sqlite;

namespace Aicmo.Sdk.Sqlite;

/// <summary>A reader connection with its prepared commands cached by SQL text; used by one read at a time.</summary>
internal sealed class ReadContext(SqliteConnection connection) : ConnectionContext(connection)
{
    /// <summary>Creates a command that is not cached (the caller disposes it), for statements built per call.</summary>
    public SqliteCommand CreateCommand() => Connection.CreateCommand();
}
