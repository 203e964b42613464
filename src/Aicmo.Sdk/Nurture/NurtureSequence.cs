namespace Aicmo.Sdk.Nurture;

/// <summary>A nurture sequence: steps sent one after another, each after its delay.</summary>
public sealed class NurtureSequence
{
    /// <summary>Gets or sets the steps, in order; step numbers start at 1.</summary>
    public IList<NurtureStep> Steps { get; set; } = [];

    /// <summary>Gets or sets the sender address of this sequence, or <see langword="null"/> for <see cref="EmailNurturerOptions.FromAddress"/>.</summary>
    public string? FromAddress { get; set; }

    /// <summary>Gets or sets the sender name of this sequence, or <see langword="null"/> for <see cref="EmailNurturerOptions.FromName"/>.</summary>
    public string? FromName { get; set; }
}
