using Aicmo.Sdk.Storage.Tests;

namespace Aicmo.Sdk.Tests.Pipeline;

public sealed class InMemoryRunKindsTests : RunKindsTestsBase
{
    protected override (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline)
    {
        var services = new ServiceCollection();
        pipeline(services.AddAicmoPipeline());
        var provider = services.BuildServiceProvider(validateScopes: true);
        return (provider, provider);
    }
}
