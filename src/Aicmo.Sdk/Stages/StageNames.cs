namespace Aicmo.Sdk.Stages;

/// <summary>The names of the built-in stages, as they appear in counts, audit events, metrics and options.</summary>
public static class StageNames
{
    /// <summary>Reading candidates from the sources.</summary>
    public const string Harvest = "harvest";

    /// <summary>Identity key and duplicate detection.</summary>
    public const string Dedup = "dedup";

    /// <summary>Enrichment.</summary>
    public const string Enrich = "enrich";

    /// <summary>Scoring.</summary>
    public const string Score = "score";

    /// <summary>Qualification.</summary>
    public const string Qualify = "qualify";

    /// <summary>Routing.</summary>
    public const string Route = "route";

    /// <summary>Nurture (email).</summary>
    public const string Nurture = "nurture";
}
