using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>One <see cref="IEmailOutbox.MarkSentAsync"/> call, as queued for its group.</summary>
internal readonly record struct SentMark(OutboxKey Key, string? ProviderMessageId, DateTimeOffset SentAt);
