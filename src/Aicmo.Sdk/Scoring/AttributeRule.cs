namespace Aicmo.Sdk.Scoring;

/// <summary>
/// A rule on a custom attribute, scored as a signal of its own: raw value 1 when the rule matches, 0 otherwise.
/// With <see cref="Value"/> or <see cref="In"/> the attribute's text is compared (case-insensitive); with <see cref="Min"/>
/// or <see cref="Max"/> it is read as a number; with none of them, the attribute only has to be present.
/// </summary>
public sealed class AttributeRule
{
    /// <summary>Gets or sets the signal name, unique among signals (for example <c>attr.plan</c>).</summary>
    public string Signal { get; set; } = string.Empty;

    /// <summary>Gets or sets the attribute the rule reads.</summary>
    public string Attribute { get; set; } = string.Empty;

    /// <summary>Gets or sets the value the attribute must equal (case-insensitive), or <see langword="null"/>.</summary>
    public string? Value { get; set; }

    /// <summary>Gets or sets the values one of which the attribute must equal (case-insensitive).</summary>
    public IList<string> In { get; set; } = [];

    /// <summary>Gets or sets the smallest number the attribute may hold, or <see langword="null"/>.</summary>
    public double? Min { get; set; }

    /// <summary>Gets or sets the largest number the attribute may hold, or <see langword="null"/>.</summary>
    public double? Max { get; set; }

    /// <summary>Gets or sets the weight of the signal; negative for a penalty.</summary>
    /// <value>The default value is 1.</value>
    public double Weight { get; set; } = 1;

    /// <summary>Gets or sets the named score the signal belongs to.</summary>
    /// <value>The default value is <c>fit</c>.</value>
    public string Score { get; set; } = ScoreNames.Fit;
}
