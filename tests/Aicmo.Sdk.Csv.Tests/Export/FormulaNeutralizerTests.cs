using Aicmo.Sdk.Csv.Export.Internal;

namespace Aicmo.Sdk.Csv.Tests.Export;

public class FormulaNeutralizerTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("+14155550123", "+14155550123")]
    [InlineData("+4930123456", "+4930123456")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData(" =1", " =1")]
    public void Neutralize_PrefixesFormulaStartsOnly(string value, string expected)
    {
        Assert.Equal(expected, FormulaNeutralizer.Neutralize(value));
    }
}
