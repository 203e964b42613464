namespace Aicmo.Sdk.Nurture;

/// <summary>One email of a sequence.</summary>
public sealed class NurtureStep
{
    /// <summary>Gets or sets how long after the previous step (for step 1: after routing) this step is due.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Gets or sets the subject template.</summary>
    public string Subject { get; set; } = string.Empty;

    /// <summary>Gets or sets the body template.</summary>
    public string Template { get; set; } = string.Empty;
}
