namespace Aicmo.Sdk.Storage.Tests;

/// <summary>
/// A rule a test changes between runs, as a host changes its rules: the <see cref="GatedQualifier"/> qualifies and the
/// <see cref="GatedRouter"/> finds an owner only while it is open.
/// </summary>
public sealed class RunKindsGate
{
    public volatile bool Open;
}
