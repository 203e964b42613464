using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Smtp.Internal;

/// <summary>
/// The <c>Message-ID</c> of a nurture email, derived from its outbox key so that every attempt at the same step carries the same
/// id: <c>{hash of the key}.{lead id}@{domain}</c>. The lead id in the local part lets the inbox reader find the lead a reply or
/// a bounce refers to without a lookup table; the hash keeps the steps of one lead apart.
/// </summary>
internal static class MessageIds
{
    /// <summary>Returns the Message-ID (without angle brackets) of a step.</summary>
    public static string For(OutboxKey key, string domain)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key.IdempotencyKey), hash);

        // 15 bytes of the hash as 20 URL-safe Base64 characters: no '.', '@' or '/' in the local part.
        return string.Create(CultureInfo.InvariantCulture, $"{Base64Url.EncodeToString(hash[..15])}.{key.LeadId:N}@{domain}");
    }

    /// <summary>Finds the lead a Message-ID of ours names; ids of other domains or shapes are not ours.</summary>
    public static bool TryGetLeadId(string? messageId, string domain, [NotNullWhen(true)] out Guid? leadId)
    {
        leadId = null;
        if (string.IsNullOrEmpty(messageId))
        {
            return false;
        }

        var id = messageId.AsSpan().Trim().Trim("<>");
        var at = id.LastIndexOf('@');
        if (at < 0 || !id[(at + 1)..].Equals(domain, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var local = id[..at];
        var dot = local.LastIndexOf('.');
        if (dot < 0 || !Guid.TryParseExact(local[(dot + 1)..], "N", out var parsed))
        {
            return false;
        }

        leadId = parsed;
        return true;
    }
}
