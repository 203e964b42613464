using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Qualification;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using BenchmarkDotNet.Attributes;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// The default engines, one lead at a time, over 1,024 realistic synthetic leads (times and allocations are per lead). Each lead
/// is prepared up to the step before the engine measured (enriched for the scorer, scored for the qualifier and the router,
/// routed for rendering).
/// </summary>
[Config(typeof(EngineConfig))]
public class EngineBenchmarks
{
    public const int Batch = 1024;
    private Lead[] _leads = [];
    private string[] _recipients = [];
    private RuleBasedScorer _scorer = null!;
    private ThresholdQualifier _qualifier = null!;
    private TierRouter _router = null!;
    private EmailNurturer _nurturer = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        var candidates = SyntheticLeadSource.Generate(Batch, seed: 7);
        _leads = Array.ConvertAll(candidates, c => BenchLeads.ToLead(c));
        _scorer = new RuleBasedScorer(new RuleBasedScorerOptions());
        _qualifier = new ThresholdQualifier(new ThresholdQualifierOptions());
        _router = new TierRouter(new TierRouterOptions());
        _nurturer = new EmailNurturer(new EmailNurturerOptions(), new InMemoryEmailOutbox(), new InMemorySuppressionList(), null);
        var enricher = new InferenceEnricher([]);
        var context = new StageContext(Guid.NewGuid(), "bench", StageNames.Enrich, TimeProvider.System, dryRun: true);
        foreach (var lead in _leads)
        {
            _ = enricher.EnrichAsync(lead, context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            lead.Score = _scorer.Score(lead);
            lead.Qualification = _qualifier.Qualify(lead);
            lead.Routing = _router.Route(lead);
        }

        _recipients = Array.ConvertAll(_leads, l => LeadIdentity.NormalizeEmail(l.Email) ?? "nobody@example.com");
        Check.True(_leads.All(l => l.Score!.Value is >= 0 and <= 1), "scores are in [0, 1]");
        Check.True(_leads.Any(l => l.Qualification!.Verdict == QualificationVerdict.Qualified), "some leads qualify");
        Check.True(_leads.Any(l => l.Routing!.IsAssigned), "some leads are routed");
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "RuleBasedScorer.Score")]
    public double Score()
    {
        var sum = 0.0;
        foreach (var lead in _leads)
        {
            sum += _scorer.Score(lead).Value;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "ThresholdQualifier.Qualify")]
    public int Qualify()
    {
        var qualified = 0;
        foreach (var lead in _leads)
        {
            qualified += _qualifier.Qualify(lead).Verdict == QualificationVerdict.Qualified ? 1 : 0;
        }

        return qualified;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "TierRouter.Route")]
    public int Route()
    {
        var assigned = 0;
        foreach (var lead in _leads)
        {
            assigned += _router.Route(lead).IsAssigned ? 1 : 0;
        }

        return assigned;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "EmailNurturer render (subject, body, headers)")]
    public int RenderEmail()
    {
        var length = 0;
        for (var i = 0; i < _leads.Length; i++)
        {
            var lead = _leads[i];
            length += _nurturer.Render(lead, _recipients[i], lead.Routing!).Body.Length;
        }

        return length;
    }
}

/// <summary>Identity-key normalization (<see cref="LeadIdentity.ComputeKey"/>) per candidate, on three kinds of input.</summary>
[Config(typeof(EngineConfig))]
public class IdentityKeyBenchmarks
{
    public const int Batch = 1024;
    private LeadCandidate[] _realistic = [];
    private LeadCandidate[] _asciiLower = [];
    private LeadCandidate[] _needsWork = [];

    [GlobalSetup]
    public void GlobalSetup()
    {
        // The synthetic mix: duplicates in other case and spacing, malformed and missing emails, non-ASCII names.
        _realistic = SyntheticLeadSource.Generate(Batch, seed: 11);

        // Already normalized: the fast path (no allocation beyond the key).
        _asciiLower = BenchCandidates.Unique(Batch);

        // Upper case, surrounding white space and full-width characters: trim, NFKC and lower-casing all do work.
        _needsWork = Array.ConvertAll(_asciiLower, c => new LeadCandidate
        {
            Email = "  " + c.Email!.ToUpperInvariant().Replace("@", "\uFF20", StringComparison.Ordinal) + "\t",
            FirstName = c.FirstName,
            LastName = c.LastName,
        });
        Check.True(_realistic.Any(c => LeadIdentity.ComputeKey(c.Email, c.CompanyDomain, c.FirstName, c.LastName) is null), "the mix holds unidentifiable candidates");
        Check.True(_needsWork.All(c => LeadIdentity.ComputeKey(c.Email, null, null, null)!.Contains('@', StringComparison.Ordinal)), "NFKC turns the full-width at sign into '@'");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "ComputeKey, realistic mix")]
    public int Realistic() => Keys(_realistic);

    [Benchmark(OperationsPerInvoke = Batch, Description = "ComputeKey, ASCII lower-case (fast path)")]
    public int AsciiLowerCase() => Keys(_asciiLower);

    [Benchmark(OperationsPerInvoke = Batch, Description = "ComputeKey, upper case + spaces + full-width")]
    public int NeedsNormalization() => Keys(_needsWork);

    private static int Keys(LeadCandidate[] candidates)
    {
        var length = 0;
        foreach (var c in candidates)
        {
            length += LeadIdentity.ComputeKey(c.Email, c.CompanyDomain, c.FirstName, c.LastName)?.Length ?? 0;
        }

        return length;
    }
}
