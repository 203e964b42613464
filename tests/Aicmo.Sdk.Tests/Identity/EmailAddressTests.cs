using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Tests.Identity;

public class EmailAddressTests
{
    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("ada.lovelace+leads@mail.example.co.uk")]
    [InlineData("o'brien@example.ie")]
    [InlineData("josé@exemplo.pt")]
    [InlineData("a_b-c@x-y.io")]
    public void IsValid_WellFormed_ReturnsTrue(string address) => Assert.True(EmailAddress.IsValid(address));

    [Theory]
    [InlineData("")]
    [InlineData("ada")]
    [InlineData("ada@")]
    [InlineData("@example.com")]
    [InlineData("ada@example")]
    [InlineData("ada@@example.com")]
    [InlineData("ada lovelace@example.com")]
    [InlineData("ada@example.com\r\nBcc: victim@example.com")]
    [InlineData("ada@example.com\0")]
    [InlineData(".ada@example.com")]
    [InlineData("ada.@example.com")]
    [InlineData("ada..lovelace@example.com")]
    [InlineData("ada@-example.com")]
    [InlineData("ada@example.c")]
    [InlineData("ada@example.123")]
    [InlineData("ada@localhost")]
    [InlineData("ada@exa_mple.com")]
    public void IsValid_Malformed_ReturnsFalse(string address) => Assert.False(EmailAddress.IsValid(address));

    [Fact]
    public void IsValid_LocalPartOver64_ReturnsFalse() => Assert.False(EmailAddress.IsValid(new string('a', 65) + "@example.com"));

    [Fact]
    public void DomainAndLocalPart_SplitAtLastAt()
    {
        Assert.Equal("example.com", EmailAddress.DomainOf("ada@example.com").ToString());
        Assert.Equal("ada", EmailAddress.LocalPartOf("ada@example.com").ToString());
        Assert.Equal(string.Empty, EmailAddress.DomainOf("no-at-sign").ToString());
    }
}
