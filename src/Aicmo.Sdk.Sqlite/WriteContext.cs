using Microsoft.Data.Sqlite;

namespace Aicmo.Sdk.Sqlite;

/// <summary>
/// The writer's connection, with its prepared commands cached by SQL text; the batch's transaction is begun and committed
/// with plain statements, so commands run with no transaction object. A write makes at most one change,
/// with its first statement; statements after it only read.
/// </summary>
internal sealed class WriteContext(SqliteConnection connection) : ConnectionContext(connection);
