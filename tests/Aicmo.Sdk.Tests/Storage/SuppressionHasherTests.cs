using System.Security.Cryptography;
using System.Text;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class SuppressionHasherTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-hasher";

    [Fact]
    public void Hash_WithAKey_IsHmacSha256OfTheNormalizedAddressNotItsPlainHash()
    {
        var options = new ErasureOptions { SuppressionHashKey = Secret };

        var hashed = new SuppressionHasher(options).Hash("  Ada@Example.COM ");

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("ada@example.com")));
        Assert.EndsWith(expected, hashed, StringComparison.Ordinal);
        Assert.NotEqual(EmailHash.Compute("ada@example.com"), hashed);
        Assert.Contains(EmailHash.Compute("ada@example.com"), new SuppressionHasher(options).Candidates("ada@example.com"));
    }

    [Fact]
    public void Hash_WithoutAKey_FallsBackToPlainSha256()
    {
        Assert.False(SuppressionHasher.Unkeyed.IsKeyed);
        Assert.Equal(EmailHash.Compute("ada@example.com"), SuppressionHasher.Unkeyed.Hash("Ada@Example.com"));
        Assert.EndsWith(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("ada@example.com"))), SuppressionHasher.Unkeyed.Hash("ada@example.com"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_KeyShorterThan32Characters_FailsAtStartNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.Erasure.SuppressionHashKey = "too-short");
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AicmoPipelineOptions>>().Value);

        Assert.Contains("Erasure.SuppressionHashKey", failure.Message, StringComparison.Ordinal);
    }
}
