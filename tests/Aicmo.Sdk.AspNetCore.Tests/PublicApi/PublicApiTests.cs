using Aicmo.Sdk.PublicApi.Tests;

namespace Aicmo.Sdk.AspNetCore.Tests.PublicApi;

/// <summary>Pins the public API of Aicmo.Sdk.AspNetCore (see <see cref="PublicApiApproval"/>).</summary>
public class PublicApiTests
{
    [Fact]
    public void AicmoSdkAspNetCore_MatchesTheApprovedSurface() => PublicApiApproval.Verify(typeof(AicmoApiOptions).Assembly);
}
