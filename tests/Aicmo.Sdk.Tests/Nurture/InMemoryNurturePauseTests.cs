using Aicmo.Sdk.Storage.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Nurture;

public sealed class InMemoryNurturePauseTests : NurturePauseTestsBase
{
    protected override (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline)
    {
        var services = new ServiceCollection();
        pipeline(services.AddAicmoPipeline());
        var provider = services.BuildServiceProvider(validateScopes: true);
        return (provider, provider);
    }
}
