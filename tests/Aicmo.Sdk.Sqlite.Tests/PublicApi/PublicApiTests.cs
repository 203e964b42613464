using Aicmo.Sdk.PublicApi.Tests;

namespace Aicmo.Sdk.Sqlite.Tests.PublicApi;

/// <summary>Pins the public API of Aicmo.Sdk.Sqlite (see <see cref="PublicApiApproval"/>).</summary>
public class PublicApiTests
{
    [Fact]
    public void AicmoSdkSqlite_MatchesTheApprovedSurface() => PublicApiApproval.Verify(typeof(SqliteStoreOptions).Assembly);
}
