namespace Aicmo.Sdk.Enrichment;

/// <summary>The waterfall of one field: which providers are asked in which order, and what a value must pass.</summary>
public sealed class FieldWaterfall
{
    /// <summary>Gets or sets the provider names, in the order they are asked; empty means every registered provider in registration order.</summary>
    public IList<string> Providers { get; set; } = [];

    /// <summary>Gets or sets the lowest confidence accepted; a less confident value is ignored and the next provider is asked.</summary>
    /// <value>The default value is 0.</value>
    public double MinConfidence { get; set; }

    /// <summary>Gets or sets a regular expression the value must match, besides the field's built-in validator; <see langword="null"/> for none.</summary>
    public string? Pattern { get; set; }
}
