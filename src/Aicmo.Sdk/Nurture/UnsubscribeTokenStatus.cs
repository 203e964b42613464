namespace Aicmo.Sdk.Nurture;

/// <summary>What <see cref="UnsubscribeTokenSigner.Verify"/> found.</summary>
public enum UnsubscribeTokenStatus
{
    /// <summary>Not a token signed with a configured secret: forged, changed, truncated or malformed.</summary>
    Invalid,

    /// <summary>A genuine token past its expiry.</summary>
    Expired,

    /// <summary>A genuine token still in force.</summary>
    Valid,
}
