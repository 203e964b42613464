using Aicmo.Sdk.Storage.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlNurturePauseTests : NurturePauseTestsBase
{
    protected override (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline)
    {
        var database = new PostgreSqlTestDatabase(pipeline: pipeline);
        return (database.Services, database);
    }
}
