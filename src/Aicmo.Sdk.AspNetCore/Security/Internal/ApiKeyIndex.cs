using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Security.Internal;

/// <summary>The configured keys by hash. A presented key is hashed and looked up; an empty or absurdly long one never matches.</summary>
internal sealed class ApiKeyIndex(IOptions<AicmoApiOptions> options)
{
    private readonly FrozenDictionary<string, AicmoApiKey> _byHash =
        options.Value.ApiKeys.ToFrozenDictionary(k => k.KeyHash, StringComparer.Ordinal);

    public bool TryFind(string presented, [NotNullWhen(true)] out AicmoApiKey? key)
    {
        key = null;
        return presented.Length is > 0 and <= 512 && _byHash.TryGetValue(AicmoApiKey.Hash(presented), out key);
    }
}
