using Microsoft.Extensions.DependencyInjection;
using Aicmo.Sdk.Storage.Tests;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlLeadCreationTests : LeadCreationTestsBase
{
    protected override (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline)
    {
        var database = new PostgreSqlTestDatabase(pipeline: b => pipeline(b.AddEmailSender(new Aicmo.Sdk.Testing.RecordingEmailSender())));
        return (database.Services, database);
    }
}
