using System.Globalization;
using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Bogus;

namespace Aicmo.Sdk.Testing;

/// <summary>Options of <see cref="SyntheticLeadSource"/>. Rates are shares of the candidates, in [0, 1].</summary>
public sealed class SyntheticLeadOptions
{
    /// <summary>Gets or sets how many candidates to yield.</summary>
    /// <value>The default value is 10,000.</value>
    public int Count { get; set; } = 10_000;

    /// <summary>Gets or sets the seed; the same seed yields the same candidates.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets the share of candidates that repeat an earlier person, with the email in other case and spacing.</summary>
    /// <value>The default value is 0.08.</value>
    public double DuplicateRate { get; set; } = 0.08;

    /// <summary>Gets or sets the share of malformed email addresses.</summary>
    /// <value>The default value is 0.04.</value>
    public double InvalidEmailRate { get; set; } = 0.04;

    /// <summary>Gets or sets the share of candidates with missing fields (no email, no title, no company data).</summary>
    /// <value>The default value is 0.06.</value>
    public double MissingFieldRate { get; set; } = 0.06;

    /// <summary>Gets or sets the share of candidates drawn from non-English locales (accented, Cyrillic, CJK names).</summary>
    /// <value>The default value is 0.25.</value>
    public double NonAsciiRate { get; set; } = 0.25;

    /// <summary>Gets or sets the share of free-mail and role-account addresses.</summary>
    /// <value>The default value is 0.12.</value>
    public double FreeMailRate { get; set; } = 0.12;

    /// <summary>Gets or sets the source name.</summary>
    /// <value>The default value is <c>synthetic</c>.</value>
    public string Name { get; set; } = "synthetic";
}
