using Aicmo.Sdk.Storage.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteNurturePauseTests : NurturePauseTestsBase
{
    protected override (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline)
    {
        var database = new SqliteTestDatabase(pipeline: pipeline);
        return (database.Services, database);
    }
}
