using Aicmo.Sdk.PublicApi.Tests;
using Aicmo.Sdk.Templating.Handlebars;

namespace Aicmo.Sdk.Templating.Handlebars.Tests.PublicApi;

/// <summary>Pins the public API of Aicmo.Sdk.Templating.Handlebars (see <see cref="PublicApiApproval"/>).</summary>
public class PublicApiTests
{
    [Fact]
    public void AicmoSdkTemplatingHandlebars_MatchesTheApprovedSurface() => PublicApiApproval.Verify(typeof(HandlebarsTemplateRenderer).Assembly);
}
