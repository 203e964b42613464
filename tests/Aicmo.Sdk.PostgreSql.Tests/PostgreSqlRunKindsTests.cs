using Microsoft.Extensions.DependencyInjection;
using Aicmo.Sdk.Storage.Tests;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlRunKindsTests : RunKindsTestsBase
{
    protected override (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline)
    {
        var database = new PostgreSqlTestDatabase(pipeline: pipeline);
        return (database.Services, database);
    }
}
