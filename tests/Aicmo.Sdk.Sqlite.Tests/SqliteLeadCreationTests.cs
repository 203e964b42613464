using Microsoft.Extensions.DependencyInjection;
using Aicmo.Sdk.Storage.Tests;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteLeadCreationTests : LeadCreationTestsBase
{
    protected override (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline)
    {
        var database = new SqliteTestDatabase(pipeline: b => pipeline(b.AddEmailSender(new Aicmo.Sdk.Testing.RecordingEmailSender())));
        return (database.Services, database);
    }
}
