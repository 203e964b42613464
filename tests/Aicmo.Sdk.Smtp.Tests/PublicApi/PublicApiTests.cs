using Aicmo.Sdk.PublicApi.Tests;
using Aicmo.Sdk.Smtp.Sending;

namespace Aicmo.Sdk.Smtp.Tests.PublicApi;

/// <summary>Pins the public API of Aicmo.Sdk.Smtp (see <see cref="PublicApiApproval"/>).</summary>
public class PublicApiTests
{
    [Fact]
    public void AicmoSdkSmtp_MatchesTheApprovedSurface() => PublicApiApproval.Verify(typeof(SmtpEmailSender).Assembly);
}
