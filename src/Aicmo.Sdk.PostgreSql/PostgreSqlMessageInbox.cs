using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>The transport's handled message ids, in <c>message_inbox</c>: a record is one <c>INSERT … ON CONFLICT DO NOTHING</c>.</summary>
internal sealed class PostgreSqlMessageInbox(PostgreSqlDatabase database) : IMessageInbox
{
    public async ValueTask<bool> TryRecordAsync(string messageId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        LimitChecks.ValidateMessageId(messageId);
        await using var command = await database.CommandAsync(
            "INSERT INTO {s}.message_inbox (message_id, recorded_at) VALUES (@id, @at) ON CONFLICT (message_id) DO NOTHING;",
            cancellationToken).ConfigureAwait(false);
        command.WithText("id", messageId).With("at", at);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> ContainsAsync(string messageId, CancellationToken cancellationToken = default)
    {
        LimitChecks.ValidateMessageId(messageId);
        await using var command = await database.CommandAsync(
            "SELECT EXISTS (SELECT 1 FROM {s}.message_inbox WHERE message_id = @id);", cancellationToken).ConfigureAwait(false);
        command.WithText("id", messageId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(
            "DELETE FROM {s}.message_inbox WHERE recorded_at < @before;", cancellationToken).ConfigureAwait(false);
        command.With("before", before);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
