using Aicmo.Sdk.PublicApi.Tests;

namespace Aicmo.Sdk.Hosting.Tests.PublicApi;

/// <summary>Pins the public API of Aicmo.Sdk.Hosting (see <see cref="PublicApiApproval"/>).</summary>
public class PublicApiTests
{
    [Fact]
    public void AicmoSdkHosting_MatchesTheApprovedSurface() => PublicApiApproval.Verify(typeof(IScheduleManager).Assembly);
}
