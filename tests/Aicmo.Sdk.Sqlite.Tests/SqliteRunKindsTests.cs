using Microsoft.Extensions.DependencyInjection;
using Aicmo.Sdk.Storage.Tests;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteRunKindsTests : RunKindsTestsBase
{
    protected override (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline)
    {
        var database = new SqliteTestDatabase(pipeline: pipeline);
        return (database.Services, database);
    }
}
