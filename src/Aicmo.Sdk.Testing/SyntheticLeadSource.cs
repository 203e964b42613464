using System.Globalization;
using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Bogus;

namespace Aicmo.Sdk.Testing;

/// <summary>
/// A deterministic source of realistic synthetic leads built on Bogus: the same seed gives the same candidates in the same order.
/// The mix includes duplicates that differ in case and white space, malformed emails, missing fields and non-ASCII names.
/// Candidates are generated while they are read, so memory stays flat however many are asked for.
/// </summary>
public sealed class SyntheticLeadSource : ILeadSource
{
    private static readonly string[] Locales = ["de", "fr", "es", "pt_BR", "ru", "ja", "pl", "sv", "tr", "ko"];
    private static readonly string[] Industries =
        ["Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Education", "Logistics", "Media", "Energy", "Telecommunications"];

    private static readonly string[] Countries = ["US", "US", "US", "GB", "DE", "FR", "CA", "NL", "ES", "BR", "IN", "JP", "Germany", "united states"];

    private static readonly string[] Titles =
    [
        "Chief Executive Officer", "CTO", "Founder", "VP of Sales", "Vice President, Marketing", "Director of Engineering",
        "Head of Growth", "Marketing Manager", "Sales Manager", "Team Lead", "Software Engineer", "Account Executive",
        "Analyst", "Consultant", "Operations Coordinator", "Chief Revenue Officer", "SVP Operations", "Product Manager",
    ];

    private static readonly string[] FreeMail = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "gmx.de", "icloud.com"];
    private static readonly string[] RoleAccounts = ["info", "sales", "contact", "hello", "support"];
    private static readonly string[] MalformedEmails = ["{0}.example.com", "{0}@", "@{1}", "{0} {1}@{2}", "{0}@@{2}", "{0}@{2}.", "{0}@localhost", "{0}..{1}@{2}"];

    private readonly SyntheticLeadOptions _options;

    /// <summary>Initializes a new instance of the <see cref="SyntheticLeadSource"/> class.</summary>
    /// <param name="options">The options.</param>
    public SyntheticLeadSource(SyntheticLeadOptions? options = null)
    {
        _options = options ?? new SyntheticLeadOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.Count);
    }

    /// <summary>Initializes a new instance of the <see cref="SyntheticLeadSource"/> class.</summary>
    /// <param name="count">How many candidates to yield.</param>
    /// <param name="seed">The seed.</param>
    public SyntheticLeadSource(int count, int seed = 42)
        : this(new SyntheticLeadOptions { Count = count, Seed = seed })
    {
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <summary>Generates the candidates eagerly (for benchmarks that must not measure generation).</summary>
    /// <param name="count">How many.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The candidates.</returns>
    public static LeadCandidate[] Generate(int count, int seed = 42)
    {
        var source = new SyntheticLeadSource(count, seed);
        var result = new LeadCandidate[count];
        var i = 0;
        foreach (var candidate in source.Enumerate())
        {
            result[i++] = candidate;
        }

        return result;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var yielded = 0;
        foreach (var candidate in Enumerate())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return candidate;

            // Yield the thread now and then so a synchronous generator does not monopolize a worker.
            if (++yielded % 1024 == 0)
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>Generates the candidates lazily.</summary>
    /// <returns>The candidates.</returns>
    public IEnumerable<LeadCandidate> Enumerate()
    {
        var o = _options;
        var random = new Random(o.Seed);
        var english = new Faker("en") { Random = new Randomizer(o.Seed) };
        var localized = Locales.Select((l, i) => new Faker(l) { Random = new Randomizer(o.Seed + i + 1) }).ToArray();
        var recent = new LeadCandidate[512];
        var recentCount = 0;

        for (var i = 0; i < o.Count; i++)
        {
            if (recentCount > 0 && random.NextDouble() < o.DuplicateRate)
            {
                yield return Duplicate(recent[random.Next(Math.Min(recentCount, recent.Length))], random, i);
                continue;
            }

            var f = random.NextDouble() < o.NonAsciiRate ? localized[random.Next(localized.Length)] : english;
            var candidate = Create(f, random, i, o);
            recent[recentCount++ % recent.Length] = candidate;
            yield return candidate;
        }
    }

    private static LeadCandidate Create(Faker f, Random random, int index, SyntheticLeadOptions o)
    {
        var first = f.Name.FirstName();
        var last = f.Name.LastName();
        var company = f.Company.CompanyName();
        var domain = Slug(company, index) + "." + (random.NextDouble() < 0.8 ? "com" : random.NextDouble() < 0.5 ? "io" : "de");
        var local = Slug(first, -1) + "." + Slug(last, -1);
        string? email = (local.Length > 1 ? local : "user" + index.ToString(CultureInfo.InvariantCulture)) + "@" + domain;

        var roll = random.NextDouble();
        if (roll < o.InvalidEmailRate)
        {
            var pattern = MalformedEmails[random.Next(MalformedEmails.Length)];
            email = string.Format(CultureInfo.InvariantCulture, pattern, Slug(first, -1), Slug(last, -1), domain);
        }
        else if (roll < o.InvalidEmailRate + o.FreeMailRate)
        {
            email = random.NextDouble() < 0.7
                ? Slug(first, -1) + index.ToString(CultureInfo.InvariantCulture) + "@" + FreeMail[random.Next(FreeMail.Length)]
                : RoleAccounts[random.Next(RoleAccounts.Length)] + "@" + domain;
        }

        var candidate = new LeadCandidate
        {
            ExternalId = "syn-" + index.ToString(CultureInfo.InvariantCulture),
            FirstName = first,
            LastName = last,
            Email = email,
            Title = Titles[random.Next(Titles.Length)],
            Phone = random.NextDouble() < 0.6 ? f.Phone.PhoneNumber() : null,
            TimeZone = random.NextDouble() < 0.7 ? "America/New_York" : "Europe/Berlin",
            CompanyName = company,
            CompanyDomain = random.NextDouble() < 0.7 ? domain : null,
            Industry = Industries[random.Next(Industries.Length)],
            CompanySize = SizeFor(random),
            Country = Countries[random.Next(Countries.Length)],
            AnnualRevenue = random.Next(1, 5000) * 100_000m,
        };

        if (random.NextDouble() < 0.3)
        {
            candidate.Attributes = new Dictionary<string, string>
            {
                ["visits"] = random.Next(0, 40).ToString(CultureInfo.InvariantCulture),
                ["downloads"] = random.Next(0, 5).ToString(CultureInfo.InvariantCulture),
            };
        }

        if (random.NextDouble() < o.MissingFieldRate)
        {
            switch (random.Next(4))
            {
                case 0:
                    // No email: identified by company domain and name instead.
                    candidate.Email = null;
                    candidate.CompanyDomain = domain;
                    break;
                case 1:
                    candidate.Title = null;
                    candidate.Phone = null;
                    break;
                case 2:
                    candidate.CompanySize = null;
                    candidate.Industry = null;
                    candidate.Country = null;
                    break;
                default:
                    // Nothing to identify the person by.
                    candidate.Email = null;
                    candidate.CompanyDomain = null;
                    break;
            }
        }

        return candidate;
    }

    private static LeadCandidate Duplicate(LeadCandidate original, Random random, int index)
    {
        var email = original.Email;
        if (email is not null)
        {
            email = random.Next(3) switch
            {
                0 => email.ToUpperInvariant(),
                1 => "  " + email + " ",
                _ => char.ToUpperInvariant(email[0]) + email[1..] + "\t",
            };
        }

        return new LeadCandidate
        {
            ExternalId = "syn-" + index.ToString(CultureInfo.InvariantCulture),
            FirstName = original.FirstName,
            LastName = original.LastName,
            Email = email,
            Title = original.Title,
            Phone = original.Phone,
            TimeZone = original.TimeZone,
            CompanyName = original.CompanyName,
            CompanyDomain = original.CompanyDomain is null ? null : " " + original.CompanyDomain.ToUpperInvariant(),
            Industry = original.Industry,
            CompanySize = original.CompanySize,
            Country = original.Country,
            AnnualRevenue = original.AnnualRevenue,
        };
    }

    private static int? SizeFor(Random random) => random.Next(6) switch
    {
        0 => random.Next(1, 10),
        1 => random.Next(10, 50),
        2 => random.Next(50, 200),
        3 => random.Next(200, 1000),
        4 => random.Next(1000, 20000),
        _ => random.Next(20, 500),
    };

    // Keeps letters and digits (non-ASCII letters too, so addresses can be internationalized), lower-cased.
    private static string Slug(string value, int suffix)
    {
        var chars = value.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray();
        var slug = chars.Length == 0 ? "x" : new string(chars);
        return suffix >= 0 ? slug + suffix.ToString(CultureInfo.InvariantCulture) : slug;
    }
}
