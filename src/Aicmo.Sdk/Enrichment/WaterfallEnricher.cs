using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Qualification;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Aicmo.Sdk.Enrichment;

/// <summary>
/// The default enricher: a waterfall per field. It first fills what the lead itself implies, then asks the providers of each
/// missing field in that field's order, stopping at the first value that passes the field's validator, and records the
/// provenance (provider, time, confidence) of every value it keeps.
/// </summary>
/// <remarks>
/// Answers are cached per provider and person for <see cref="WaterfallEnricherOptions.CacheTtl"/>; a run makes at most
/// <see cref="WaterfallEnricherOptions.MaxProviderCallsPerRun"/> calls. A provider that throws or times out does not fail the
/// lead (the next provider is asked) and, while it keeps failing, its Polly.Core circuit breaker skips it. Thread-safe.
/// </remarks>
public sealed partial class WaterfallEnricher : ILeadEnricher, Storage.IPersonalDataHolder
{
    private readonly WaterfallEnricherOptions _options;
    private readonly Provider[] _providers;
    private readonly Dictionary<string, (Provider[] Chain, double MinConfidence, Regex? Pattern)> _fields;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Provider, string Person, string Field), CacheEntry> _cache = new();
    private readonly ConditionalWeakTable<StageContext, Budget> _budgets = new();
    private readonly string[] _fieldsWithProviders;

    /// <summary>Initializes a new instance of the <see cref="WaterfallEnricher"/> class.</summary>
    /// <param name="options">The enricher options, validated when the host starts.</param>
    /// <param name="providers">The registered providers, in registration order.</param>
    /// <param name="timeProvider">The clock (cache expiry, provenance, timeouts and circuit breaking).</param>
    /// <param name="logger">The logger.</param>
    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public WaterfallEnricher(IOptions<WaterfallEnricherOptions> options, IEnumerable<IEnrichmentProvider> providers, TimeProvider? timeProvider = null, ILogger<WaterfallEnricher>? logger = null)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, providers, timeProvider, logger, validate: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WaterfallEnricher"/> class.</summary>
    /// <param name="options">The enricher options.</param>
    /// <param name="providers">The providers, in default order.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when omitted.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentException">An option is not valid, or a waterfall names a provider that is not registered.</exception>
    public WaterfallEnricher(WaterfallEnricherOptions options, IEnumerable<IEnrichmentProvider> providers, TimeProvider? timeProvider = null, ILogger? logger = null)
        : this(options, providers, timeProvider, logger, validate: true)
    {
    }

    // The options a host registers are validated on start, by their own validator; options handed in directly are validated here.
    private WaterfallEnricher(WaterfallEnricherOptions options, IEnumerable<IEnrichmentProvider> providers, TimeProvider? timeProvider, ILogger? logger, bool validate)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        var failures = validate ? options.Validate().ToList() : [];
        _providers = (providers ?? []).Select(p => new Provider(p, BuildResilience(p.Name, options, _time))).ToArray();
        if (_providers.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            failures.Add($"Two enrichment providers are named '{twice.Key}'; provider names must be unique.");
        }

        _fields = new Dictionary<string, (Provider[], double, Regex?)>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in EnrichmentFields.All)
        {
            if (!options.Fields.TryGetValue(field, out var waterfall) || waterfall is null)
            {
                _fields[field] = (_providers, 0, null);
                continue;
            }

            var chain = new List<Provider>();
            foreach (var name in waterfall.Providers ?? [])
            {
                var provider = _providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                if (provider is null)
                {
                    failures.Add($"{nameof(WaterfallEnricherOptions)}.Fields[\"{field}\"].Providers names '{name}', which is not a registered provider.");
                }
                else
                {
                    chain.Add(provider);
                }
            }

            var pattern = waterfall.Pattern is { Length: > 0 } p ? new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)) : null;
            _fields[field] = (waterfall.Providers is { Count: > 0 } ? chain.ToArray() : _providers, waterfall.MinConfidence, pattern);
        }

        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        _fieldsWithProviders = _fields.Where(f => f.Value.Chain.Length > 0).Select(f => f.Key).ToArray();
    }

    /// <inheritdoc />
    public ValueTask<EnrichmentResult> EnrichAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(context);
        var now = context.TimeProvider.GetUtcNow();
        var filled = _options.InferFromLead ? InferenceEnricher.Infer(lead, now) : 0;
        if (_fieldsWithProviders.Length == 0)
        {
            // No provider serves any field (the default): nothing more to ask for, and nothing allocated for the waterfall.
            return new(Result(filled, null));
        }

        var missing = InferenceEnricher.MissingFields(lead);
        missing.IntersectWith(_fieldsWithProviders);
        if (missing.Count == 0)
        {
            return new(Result(filled, null));
        }

        return AskProvidersAsync(lead, context, now, filled, missing, cancellationToken);
    }

    private async ValueTask<EnrichmentResult> AskProvidersAsync(
        Lead lead, StageContext context, DateTimeOffset now, int filled, HashSet<string> missing, CancellationToken cancellationToken)
    {
        var notes = new List<string>(2);
        var person = lead.IdentityKey is { Length: > 0 } key ? key : lead.Id.ToString("N");
        var asked = missing.ToDictionary(f => f, _ => 0, StringComparer.Ordinal);
        var budget = _options.MaxProviderCallsPerRun > 0 ? _budgets.GetValue(context, static _ => new Budget()) : null;

        while (true)
        {
            // The next provider is the one next in line for the first field still missing; it is asked for every missing
            // field that has it next in line, so one call serves several fields.
            var field = EnrichmentFields.All.FirstOrDefault(f => missing.Contains(f) && asked[f] < _fields[f].Chain.Length);
            if (field is null)
            {
                break;
            }

            var provider = _fields[field].Chain[asked[field]];
            var wanted = missing.Where(f => asked[f] < _fields[f].Chain.Length && _fields[f].Chain[asked[f]] == provider).ToList();
            foreach (var f in wanted)
            {
                asked[f]++;
            }

            var answers = new Dictionary<string, (EnrichedValue Value, DateTimeOffset At)>(StringComparer.Ordinal);
            var toFetch = new List<string>(wanted.Count);
            foreach (var f in wanted)
            {
                if (_options.CacheTtl > TimeSpan.Zero && _cache.TryGetValue((provider.Name, person, f), out var cached) && cached.ExpiresAt > now)
                {
                    if (cached.Value is { } v)
                    {
                        answers[f] = (v, cached.At);
                    }
                }
                else
                {
                    toFetch.Add(f);
                }
            }

            if (toFetch.Count > 0)
            {
                if (budget is not null && Interlocked.Increment(ref budget.Calls) > _options.MaxProviderCallsPerRun)
                {
                    AddNote(notes, string.Create(CultureInfo.InvariantCulture, $"budget of {_options.MaxProviderCallsPerRun} provider calls for this run spent"));
                }
                else if (await CallAsync(provider, lead, toFetch, notes, cancellationToken).ConfigureAwait(false) is { } values)
                {
                    var at = context.TimeProvider.GetUtcNow();
                    foreach (var f in toFetch)
                    {
                        var found = values.Where(v => string.Equals(v.Field, f, StringComparison.Ordinal)).Select(v => (EnrichedValue?)v).FirstOrDefault();
                        if (found is { } value)
                        {
                            answers[f] = (value, at);
                        }

                        Remember(provider.Name, person, f, found, at);
                    }
                }
            }

            foreach (var (f, (value, at)) in answers)
            {
                if (missing.Contains(f) && Accept(f, value) is { } accepted && InferenceEnricher.Apply(lead, accepted))
                {
                    lead.Provenance[f] = new FieldProvenance(provider.Name, at, Math.Clamp(value.Confidence, 0, 1));
                    missing.Remove(f);
                    filled++;
                }
            }
        }

        return Result(filled, notes);
    }

    private async ValueTask<IReadOnlyList<EnrichedValue>?> CallAsync(Provider provider, Lead lead, List<string> fields, List<string> notes, CancellationToken cancellationToken)
    {
        try
        {
            return await provider.Resilience.ExecuteAsync(
                static (state, token) => state.Provider.LookupAsync(state.Lead, state.Fields, token),
                (Provider: provider.Inner, Lead: lead, Fields: (IReadOnlyCollection<string>)fields),
                cancellationToken).ConfigureAwait(false) ?? [];
        }
        catch (BrokenCircuitException)
        {
            AddNote(notes, $"provider {provider.Name} skipped (circuit open)");
        }
        catch (TimeoutRejectedException)
        {
            AddNote(notes, $"provider {provider.Name} timed out");
            LogProviderFailed(_logger, provider.Name, lead.Id, "timed out", null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not PipelineFatalException)
        {
            // One vendor's outage must not fail the lead; the next provider of each field is asked. A provider that declares
            // a fatal error (bad credentials for every call, say) stops the run as any stage's fatal error does.
            AddNote(notes, $"provider {provider.Name} failed");
            LogProviderFailed(_logger, provider.Name, lead.Id, ex.GetType().Name, ex);
        }

        return null;
    }

    private EnrichedValue? Accept(string field, EnrichedValue value)
    {
        var (_, minConfidence, pattern) = _fields[field];
        if (!double.IsFinite(value.Confidence) || value.Confidence < minConfidence || string.IsNullOrWhiteSpace(value.Value))
        {
            return null;
        }

        var text = value.Value.Trim();
        if (ThresholdQualifier.HostileReason(text, 256) is not null)
        {
            return null;
        }

        var normalized = field switch
        {
            EnrichmentFields.CompanyDomain => LeadIdentity.NormalizeDomain(text) is { } d && EmailAddress.IsValid("x@" + d) ? d : null,
            EnrichmentFields.Country => text.Length == 2 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]) ? text.ToUpperInvariant() : null,
            EnrichmentFields.CompanySize => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size is > 0 and <= 10_000_000 ? text : null,
            EnrichmentFields.Phone => IsPhone(text) ? text : null,
            _ => text,
        };
        if (normalized is null)
        {
            return null;
        }

        try
        {
            if (pattern is not null && !pattern.IsMatch(normalized))
            {
                return null;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }

        return value with { Value = normalized };
    }

    private static bool IsPhone(string text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (!(c is ' ' or '+' or '-' or '(' or ')' or '.'))
            {
                return false;
            }
        }

        return digits is >= 7 and <= 20;
    }

    /// <summary>Forgets the cached vendor answers about an erased person.</summary>
    /// <param name="erasure">The person.</param>
    /// <param name="cancellationToken">Not used: the cache is in memory.</param>
    /// <returns>A completed task.</returns>
    public ValueTask ForgetAsync(Storage.PersonalDataErasure erasure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        var people = new HashSet<string>(erasure.IdentityKeys, StringComparer.Ordinal);
        foreach (var id in erasure.LeadIds)
        {
            people.Add(id.ToString("N"));
        }

        if (erasure.Email is { } email)
        {
            people.Add("e:" + email);
        }

        foreach (var key in _cache.Keys)
        {
            if (people.Contains(key.Person))
            {
                _cache.TryRemove(key, out _);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Remember(string provider, string person, string field, EnrichedValue? value, DateTimeOffset at)
    {
        if (_options.CacheTtl <= TimeSpan.Zero)
        {
            return;
        }

        if (_cache.Count >= _options.CacheCapacity)
        {
            // Drop what has expired; if that is not enough, the entries closest to expiry.
            foreach (var stale in _cache.Where(e => e.Value.ExpiresAt <= at).Select(e => e.Key).ToList())
            {
                _cache.TryRemove(stale, out _);
            }

            if (_cache.Count >= _options.CacheCapacity)
            {
                foreach (var old in _cache.OrderBy(e => e.Value.ExpiresAt).Take(Math.Max(1, _options.CacheCapacity / 10)).Select(e => e.Key).ToList())
                {
                    _cache.TryRemove(old, out _);
                }
            }
        }

        _cache[(provider, person, field)] = new CacheEntry(value, at, at + _options.CacheTtl);
    }

    private static void AddNote(List<string> notes, string note)
    {
        if (!notes.Contains(note))
        {
            notes.Add(note);
        }
    }

    private static EnrichmentResult Result(int filled, List<string>? notes)
    {
        var summary = InferenceEnricher.Summary(filled);
        return new EnrichmentResult(filled, notes is { Count: > 0 } ? summary + "; " + string.Join("; ", notes) : summary);
    }

    private static ResiliencePipeline BuildResilience(string name, WaterfallEnricherOptions options, TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time, Name = "aicmo.enrichment." + name }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                // Every failure and timeout counts, except the caller's own cancellation.
                ShouldHandle = static args => new ValueTask<bool>(
                    args.Outcome.Exception is { } e && !(e is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
            })
            .AddTimeout(options.ProviderTimeout)
            .Build();

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Enrichment provider {Provider} failed for lead {LeadId} ({Failure}); asking the next provider")]
    private static partial void LogProviderFailed(ILogger logger, string provider, Guid leadId, string failure, Exception? exception);

    private sealed record Provider(IEnrichmentProvider Inner, ResiliencePipeline Resilience)
    {
        public string Name => Inner.Name;
    }

    private sealed record CacheEntry(EnrichedValue? Value, DateTimeOffset At, DateTimeOffset ExpiresAt);

    private sealed class Budget
    {
        public int Calls;
    }
}
