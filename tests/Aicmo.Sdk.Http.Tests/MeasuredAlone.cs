namespace Aicmo.Sdk.Http.Tests;

/// <summary>
/// Tests that measure the process (its managed heap) or wall-clock timeouts run after the others, not beside them: other test
/// classes' allocations and CPU would otherwise count against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "measured alone";
}
