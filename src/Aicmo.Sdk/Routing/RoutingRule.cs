namespace Aicmo.Sdk.Routing;

/// <summary>
/// A routing rule: every condition that is set must hold (conditions left empty match anything). The first rule that
/// matches sends the lead to <see cref="Team"/> and <see cref="Sequence"/>.
/// </summary>
public sealed class RoutingRule
{
    /// <summary>Gets or sets the rule's name, recorded on the decision.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the team that takes matching leads.</summary>
    public string Team { get; set; } = string.Empty;

    /// <summary>Gets or sets the nurture sequence matching leads enter.</summary>
    public string Sequence { get; set; } = string.Empty;

    /// <summary>Gets or sets the lowest combined score, or <see langword="null"/>.</summary>
    public double? MinScore { get; set; }

    /// <summary>Gets or sets the highest combined score (exclusive), or <see langword="null"/>.</summary>
    public double? MaxScore { get; set; }

    /// <summary>Gets or sets the lowest <c>intent</c> score, or <see langword="null"/>.</summary>
    public double? MinIntent { get; set; }

    /// <summary>Gets or sets the grades that match (A–D); empty matches any.</summary>
    public IList<string> Grades { get; set; } = [];

    /// <summary>Gets or sets the country codes that match; empty matches any.</summary>
    public IList<string> Countries { get; set; } = [];

    /// <summary>Gets or sets the regions that match (<c>NA</c>, <c>LATAM</c>, <c>EMEA</c>, <c>APAC</c>); empty matches any.</summary>
    public IList<string> Regions { get; set; } = [];

    /// <summary>Gets or sets the industries that match; empty matches any.</summary>
    public IList<string> Industries { get; set; } = [];

    /// <summary>Gets or sets the sources that match; empty matches any.</summary>
    public IList<string> Sources { get; set; } = [];

    /// <summary>Gets or sets the smallest company size, or <see langword="null"/>.</summary>
    public int? MinCompanySize { get; set; }

    /// <summary>Gets or sets the largest company size, or <see langword="null"/>.</summary>
    public int? MaxCompanySize { get; set; }

    /// <summary>Gets or sets attribute values the lead must carry (case-insensitive).</summary>
    public IDictionary<string, string> Attributes { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
