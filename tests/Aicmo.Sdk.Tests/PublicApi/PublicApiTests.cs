using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.PublicApi.Tests;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.PublicApi;

/// <summary>Pins the public API of Aicmo.Sdk and Aicmo.Sdk.Testing (see <see cref="PublicApiApproval"/>).</summary>
public class PublicApiTests
{
    [Fact]
    public void AicmoSdk_MatchesTheApprovedSurface() => PublicApiApproval.Verify(typeof(ILeadPipeline).Assembly);

    [Fact]
    public void AicmoSdkTesting_MatchesTheApprovedSurface() => PublicApiApproval.Verify(typeof(SyntheticLeadSource).Assembly);
}
