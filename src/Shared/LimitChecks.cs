namespace Aicmo.Sdk.Storage;

/// <summary>Argument checks of the <see cref="ILimitCounters"/> and <see cref="IMessageInbox"/> the library ships.</summary>
/// <remarks>Compiled into the core and into each SQL store package (linked source), so every store checks its arguments the same way.</remarks>
internal static class LimitChecks
{
    /// <summary>Throws when <paramref name="limits"/> is empty or one of them is not valid.</summary>
    /// <param name="limits">The limits.</param>
    /// <exception cref="ArgumentException">The limits are empty, a key is empty or too long, a maximum is below 1 or a window is not positive.</exception>
    public static void Validate(ReadOnlySpan<RollingLimit> limits)
    {
        if (limits.IsEmpty)
        {
            throw new ArgumentException("At least one limit is required.", nameof(limits));
        }

        foreach (var limit in limits)
        {
            ValidateKey(limit.Key);
            if (limit.Max < 1)
            {
                throw new ArgumentException($"The limit of '{limit.Key}' must be at least 1 (was {limit.Max}).", nameof(limits));
            }

            if (limit.Window <= TimeSpan.Zero)
            {
                throw new ArgumentException($"The window of '{limit.Key}' must be positive (was {limit.Window}).", nameof(limits));
            }
        }
    }

    /// <summary>Throws when <paramref name="key"/> is empty or longer than <see cref="ILimitCounters.MaxKeyLength"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentException">The key is empty or too long.</exception>
    public static void ValidateKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > ILimitCounters.MaxKeyLength)
        {
            throw new ArgumentException($"A limit key has at most {ILimitCounters.MaxKeyLength} characters (was {key.Length}).", nameof(key));
        }
    }

    /// <summary>Throws when <paramref name="messageId"/> is empty, white space or longer than <see cref="IMessageInbox.MaxMessageIdLength"/>.</summary>
    /// <param name="messageId">The message id.</param>
    /// <exception cref="ArgumentException">The id is empty or too long.</exception>
    public static void ValidateMessageId(string messageId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        if (messageId.Length > IMessageInbox.MaxMessageIdLength)
        {
            throw new ArgumentException($"A message id has at most {IMessageInbox.MaxMessageIdLength} characters (was {messageId.Length}).", nameof(messageId));
        }
    }
}
