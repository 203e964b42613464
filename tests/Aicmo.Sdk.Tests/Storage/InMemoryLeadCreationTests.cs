using Aicmo.Sdk.Storage.Tests;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryLeadCreationTests : LeadCreationTestsBase
{
    protected override (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline)
    {
        var services = new ServiceCollection();
        pipeline(services.AddAicmoPipeline().AddEmailSender(new RecordingEmailSender()));
        var provider = services.BuildServiceProvider(validateScopes: true);
        return (provider, provider);
    }
}
