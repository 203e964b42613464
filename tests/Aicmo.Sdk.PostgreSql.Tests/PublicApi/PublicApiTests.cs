using Aicmo.Sdk.PublicApi.Tests;

namespace Aicmo.Sdk.PostgreSql.Tests.PublicApi;

/// <summary>Pins the public API of Aicmo.Sdk.PostgreSql (see <see cref="PublicApiApproval"/>).</summary>
public class PublicApiTests
{
    [Fact]
    public void AicmoSdkPostgreSql_MatchesTheApprovedSurface() => PublicApiApproval.Verify(typeof(PostgreSqlStoreOptions).Assembly);
}
