namespace Aicmo.Sdk.Storage;

/// <summary>How erased addresses are kept (see <see cref="LeadEraser"/>).</summary>
public sealed class ErasureOptions
{
    /// <summary>
    /// Gets or sets the secret that keys the hash an erased address is kept under in the suppression list (HMAC-SHA256), at
    /// least 32 characters, from the host's secret store. Without it the address is kept as a plain SHA-256 hash, which anyone
    /// holding a list of candidate addresses can reverse by hashing them; set it in production. Keep it: a changed key no
    /// longer recognises addresses erased under the old one (they are still refused while the old key is listed in
    /// <see cref="PreviousSuppressionHashKeys"/>).
    /// </summary>
    /// <value>The default value is <see langword="null"/> (plain SHA-256).</value>
    public string? SuppressionHashKey { get; set; }

    /// <summary>Gets the keys used before <see cref="SuppressionHashKey"/>, still checked when an address is looked up.</summary>
    public IList<string> PreviousSuppressionHashKeys { get; } = [];

    /// <summary>Validates the options; every failure names the option.</summary>
    /// <param name="prefix">The path of these options.</param>
    /// <returns>The failures; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate(string prefix = nameof(ErasureOptions))
    {
        var failures = new List<string>();
        if (SuppressionHashKey is { Length: < 32 })
        {
            failures.Add($"{prefix}.{nameof(SuppressionHashKey)} must be at least 32 characters long when set (was {SuppressionHashKey.Length}).");
        }

        if (PreviousSuppressionHashKeys.Any(k => string.IsNullOrEmpty(k)))
        {
            failures.Add($"{prefix}.{nameof(PreviousSuppressionHashKeys)} cannot hold empty keys.");
        }

        return failures;
    }
}
