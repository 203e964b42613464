using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Sqlite;

/// <summary>The transport's handled message ids, in <c>aicmo_message_inbox</c>: a record is one insert-if-absent.</summary>
internal sealed class SqliteMessageInbox(SqliteDatabase database) : IMessageInbox
{
    public ValueTask<bool> TryRecordAsync(string messageId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        LimitChecks.ValidateMessageId(messageId);
        return database.WriteAsync(
            w => w.Command("INSERT INTO aicmo_message_inbox (message_id, recorded_at) VALUES ($id, $at) ON CONFLICT (message_id) DO NOTHING;")
                .With("$id", messageId).With("$at", at.UtcTicks)
                .ExecuteNonQuery() == 1,
            cancellationToken);
    }

    public ValueTask<bool> ContainsAsync(string messageId, CancellationToken cancellationToken = default)
    {
        LimitChecks.ValidateMessageId(messageId);
        return database.ReadAsync(
            r => r.Command("SELECT EXISTS (SELECT 1 FROM aicmo_message_inbox WHERE message_id = $id);").With("$id", messageId).ExecuteScalar() is long found && found != 0,
            cancellationToken);
    }

    public ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        database.WriteAsync(
            w => (long)w.Command("DELETE FROM aicmo_message_inbox WHERE recorded_at < $before;").With("$before", before.UtcTicks).ExecuteNonQuery(),
            cancellationToken);
}
