using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Tests.Identity;

public class LeadIdentityTests
{
    [Theory]
    [InlineData("Ada@Example.COM", "e:ada@example.com")]
    [InlineData("  ada@example.com\t", "e:ada@example.com")]
    [InlineData("ADA@EXAMPLE.COM ", "e:ada@example.com")]
    [InlineData("ａｄａ@example.com", "e:ada@example.com")] // full-width letters fold under NFKC
    [InlineData("José@Exemplo.pt", "e:josé@exemplo.pt")]
    public void ComputeKey_EmailVariants_NormalizeToOneKey(string email, string expected)
    {
        Assert.Equal(expected, LeadIdentity.ComputeKey(email, null, null, null));
    }

    [Fact]
    public void ComputeKey_DecomposedAndComposedAccents_GiveTheSameKey()
    {
        var composed = "jos\u00e9@example.com";
        var decomposed = "jose\u0301@example.com";
        Assert.Equal(LeadIdentity.ComputeKey(composed, null, null, null), LeadIdentity.ComputeKey(decomposed, null, null, null));
    }

    [Fact]
    public void ComputeKey_WithoutEmail_UsesDomainAndFullName()
    {
        var a = LeadIdentity.ComputeKey(null, "https://www.Acme.com/about", "Grace ", "  Hopper");
        var b = LeadIdentity.ComputeKey("   ", "acme.com", "grace", "HOPPER");
        Assert.Equal("n:acme.com|grace hopper", a);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData(null, null, "Grace", "Hopper")]
    [InlineData(null, "acme.com", null, null)]
    [InlineData("", "", "", "")]
    public void ComputeKey_NotEnoughToIdentify_ReturnsNull(string? email, string? domain, string? first, string? last)
    {
        Assert.Null(LeadIdentity.ComputeKey(email, domain, first, last));
    }

    [Theory]
    [InlineData("acme.com", "acme.com")]
    [InlineData("HTTPS://WWW.ACME.COM/", "acme.com")]
    [InlineData("acme.com.", "acme.com")]
    [InlineData("http://sub.acme.io/path?q=1", "sub.acme.io")]
    [InlineData("   ", null)]
    public void NormalizeDomain_StripsSchemeWwwPathAndCase(string input, string? expected)
    {
        Assert.Equal(expected, LeadIdentity.NormalizeDomain(input));
    }

    [Fact]
    public void NormalizeEmail_AlreadyNormal_ReturnsSameInstance()
    {
        var email = "ada@example.com";
        Assert.Same(email, LeadIdentity.NormalizeEmail(email));
    }
}
