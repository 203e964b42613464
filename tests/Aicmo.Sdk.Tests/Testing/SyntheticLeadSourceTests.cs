using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Testing;

public class SyntheticLeadSourceTests
{
    [Fact]
    public void Enumerate_SameSeed_SameCandidates_OtherSeed_Different()
    {
        static string Fingerprint(int seed) => string.Join("|", new SyntheticLeadSource(500, seed).Enumerate()
            .Select(c => $"{c.FirstName},{c.LastName},{c.Email},{c.Title},{c.CompanySize}"));

        Assert.Equal(Fingerprint(5), Fingerprint(5));
        Assert.NotEqual(Fingerprint(5), Fingerprint(6));
    }

    [Fact]
    public void Enumerate_TenThousand_HasTheRealisticMix()
    {
        var candidates = new SyntheticLeadSource(10_000, 42).Enumerate().ToList();

        Assert.Equal(10_000, candidates.Count);
        var keys = candidates.Select(c => LeadIdentity.ComputeKey(c.Email, c.CompanyDomain, c.FirstName, c.LastName)).ToList();

        // Duplicates that only differ in case and white space.
        var duplicateKeys = keys.Where(k => k is not null).GroupBy(k => k).Count(g => g.Count() > 1);
        Assert.InRange(duplicateKeys, 400, 1200);
        Assert.Contains(candidates, c => c.Email is not null && c.Email != c.Email.Trim());
        Assert.Contains(candidates, c => c.Email is not null && c.Email.Any(char.IsUpper));

        // Malformed addresses, missing fields, no identity at all, non-ASCII names.
        var malformed = candidates.Count(c => c.Email is not null && !EmailAddress.IsValid(c.Email.Trim()));
        Assert.InRange(malformed, 200, 700);
        Assert.Contains(candidates, c => c.Email is null && c.CompanyDomain is not null);
        Assert.Contains(candidates, c => c.Title is null);
        Assert.InRange(keys.Count(k => k is null), 30, 300);
        Assert.True(candidates.Count(c => (c.FirstName + c.LastName).Any(ch => ch > 127)) > 500);
    }

    [Fact]
    public async Task ReadAsync_YieldsWhatEnumerateYields()
    {
        var source = new SyntheticLeadSource(50, 9);
        var read = new List<string?>();
        await foreach (var c in source.ReadAsync(new Aicmo.Sdk.Stages.LeadSourceContext(Guid.NewGuid(), "c", null), CancellationToken.None))
        {
            read.Add(c.Email);
        }

        Assert.Equal(source.Enumerate().Select(c => c.Email), read);
    }
}
