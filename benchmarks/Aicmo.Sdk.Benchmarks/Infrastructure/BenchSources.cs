using System.Globalization;
using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>Yields candidates from an array generated before the measurement, so generation is not measured.</summary>
public sealed class ArrayLeadSource(LeadCandidate[] candidates, string name = "array") : ILeadSource
{
    public string Name { get; } = name;

    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var candidate in candidates)
        {
            yield return candidate;
        }
    }
}

/// <summary>
/// Builds candidates while it is read, from the index alone (no Bogus, no buffer), so that a run of a million leads keeps no
/// candidate in memory and generation costs little. Every <see cref="DuplicateEvery"/>-th candidate repeats an earlier person
/// with the email in upper case, every <see cref="NoPhoneEvery"/>-th has no phone.
/// </summary>
public sealed class StreamingLeadSource(int count, string name = "streaming") : ILeadSource
{
    private static readonly string[] Titles = ["Chief Executive Officer", "VP of Sales", "Head of Growth", "Marketing Manager", "Software Engineer", "Analyst"];
    private static readonly string[] Industries = ["Software", "Financial Services", "Healthcare", "Manufacturing", "Retail"];
    private static readonly string[] Countries = ["US", "GB", "DE", "Germany", "FR"];

    public string Name { get; } = name;

    public int DuplicateEvery { get; init; } = 12;

    public int NoPhoneEvery { get; init; } = 3;

    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Create(i, DuplicateEvery, NoPhoneEvery);
        }
    }

    /// <summary>Gets how many of the candidates repeat an earlier person.</summary>
    public long Duplicates => DuplicateEvery > 1 && count > 1 ? (count - 1) / DuplicateEvery : 0;

    public static LeadCandidate Create(int index, int duplicateEvery = 12, int noPhoneEvery = 3)
    {
        var duplicate = duplicateEvery > 1 && index > 0 && index % duplicateEvery == 0;
        var person = duplicate ? index - 1 : index;
        var company = person % 5_000;
        var p = person.ToString(CultureInfo.InvariantCulture);
        var c = company.ToString(CultureInfo.InvariantCulture);
        var email = "first" + p + ".last" + p + "@company" + c + ".com";
        return new LeadCandidate
        {
            ExternalId = "s-" + index.ToString(CultureInfo.InvariantCulture),
            FirstName = "First" + p,
            LastName = "Last" + p,
            Email = duplicate ? email.ToUpperInvariant() : email,
            Title = Titles[person % Titles.Length],
            Phone = noPhoneEvery > 0 && person % noPhoneEvery == 0 ? null : "+1 555 01" + (person % 100).ToString("00", CultureInfo.InvariantCulture),
            TimeZone = "America/New_York",
            CompanyName = "Company " + c,
            CompanyDomain = "company" + c + ".com",
            Industry = Industries[company % Industries.Length],
            CompanySize = 10 + (company % 2_000),
            Country = Countries[company % Countries.Length],
            AnnualRevenue = (1 + (company % 500)) * 100_000m,
        };
    }
}

/// <summary>Candidate sets shared by the benchmarks.</summary>
public static class BenchCandidates
{
    /// <summary>Distinct, valid, already-normalized candidates: every one becomes a lead and reaches every stage.</summary>
    public static LeadCandidate[] Unique(int count)
    {
        var result = new LeadCandidate[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = StreamingLeadSource.Create(i, duplicateEvery: 0);
        }

        return result;
    }
}
