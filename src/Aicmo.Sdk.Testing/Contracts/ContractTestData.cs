using System.Globalization;
using System.Text;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>Values the contract suites store and read back: ordinary leads, and hostile or unusual text that must round-trip unchanged.</summary>
public static class ContractTestData
{
    /// <summary>Gets an instant with whole microseconds (the finest precision every store keeps), in UTC.</summary>
    public static DateTimeOffset BaseTime { get; } = new(2025, 3, 14, 15, 9, 26, 535, 897, TimeSpan.Zero);

    /// <summary>Gets SQL text that breaks a store which concatenates values into statements.</summary>
    public static string SqlText => "Robert'); DROP TABLE leads; -- \" OR 1=1; /* */ ` $$ $1 @p :name ?";

    /// <summary>Gets every ASCII control character except NUL, with the quote characters stores escape.</summary>
    public static string ControlCharacters { get; } = BuildControlCharacters();

    /// <summary>Gets emoji, combining marks, right-to-left and CJK text.</summary>
    public static string NonAscii => "Zoë Ünïcødé 🦄👩🏽‍💻 日本語 مرحبا e\u0301 Ωmega \u00A0nbsp \u2028sep";

    /// <summary>Gets a 10 KB string mixing every kind of hostile text above.</summary>
    public static string LargeText { get; } = BuildLargeText();

    /// <summary>Gets the hostile values, one per kind, for theories and loops.</summary>
    public static IReadOnlyList<string> HostileValues { get; } = [SqlText, ControlCharacters, NonAscii, LargeText, "'", "\"", "\\", "%_", string.Empty + " leading and trailing spaces "];

    /// <summary>Returns an instant <paramref name="offsetMilliseconds"/> after <see cref="BaseTime"/>.</summary>
    /// <param name="offsetMilliseconds">The offset.</param>
    /// <returns>The instant.</returns>
    public static DateTimeOffset At(double offsetMilliseconds) => BaseTime.AddTicks((long)(offsetMilliseconds * TimeSpan.TicksPerMillisecond) / 10 * 10);

    /// <summary>Returns a campaign id no other test uses, so suites can share a database when a store cannot give each test its own.</summary>
    /// <param name="name">A readable part.</param>
    /// <returns>The id.</returns>
    public static string NewCampaignId(string name = "campaign") => string.Create(CultureInfo.InvariantCulture, $"{name}-{Guid.NewGuid():N}");

    /// <summary>Creates a lead in state <see cref="LeadStatus.New"/> at version 1 with the usual fields set.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="identityKey">The identity key, or <see langword="null"/> for one derived from a new id.</param>
    /// <param name="createdAt">When it was created, or <see langword="null"/> for <see cref="BaseTime"/>.</param>
    /// <returns>The lead.</returns>
    public static Lead NewLead(string campaignId, string? identityKey = null, DateTimeOffset? createdAt = null)
    {
        var at = createdAt ?? BaseTime;
        var id = Guid.CreateVersion7(at);
        return new Lead
        {
            Id = id,
            CampaignId = campaignId,
            IdentityKey = identityKey ?? string.Create(CultureInfo.InvariantCulture, $"e:{id:N}@example.com"),
            Source = "contract",
            ExternalId = id.ToString("N", CultureInfo.InvariantCulture)[..8],
            RunId = Guid.CreateVersion7(at),
            FirstName = "Ada",
            LastName = "Lovelace",
            Email = "ada@example.com",
            Title = "VP Engineering",
            Phone = "+44 20 7946 0000",
            TimeZone = "Europe/London",
            CompanyName = "Analytical Engines Ltd",
            CompanyDomain = "example.com",
            Industry = "Software",
            CompanySize = 250,
            Country = "GB",
            AnnualRevenue = 12_345_678.90m,
            Status = LeadStatus.New,
            CreatedAt = at,
            UpdatedAt = at,
            Version = 1,
        };
    }

    /// <summary>Creates a lead carrying every decision, attribute and provenance, with hostile text in every string field.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="hostile">The text to put in every free-text field.</param>
    /// <returns>The lead, in state <see cref="LeadStatus.Contacted"/>.</returns>
    public static Lead FullLead(string campaignId, string hostile)
    {
        var lead = NewLead(campaignId, "e:" + hostile);
        lead.Source = hostile;
        lead.ExternalId = hostile;
        lead.FirstName = hostile;
        lead.LastName = hostile;
        lead.Email = hostile;
        lead.Title = hostile;
        lead.Phone = hostile;
        lead.TimeZone = hostile;
        lead.CompanyName = hostile;
        lead.CompanyDomain = hostile;
        lead.Industry = hostile;
        lead.Country = hostile;
        lead.CompanySize = int.MaxValue;
        lead.AnnualRevenue = 79_228_162_514_264.337593543950335m;
        lead.Attributes["intent"] = hostile;
        lead.Attributes[hostile] = "key is hostile";
        lead.Provenance["title"] = new FieldProvenance(hostile, At(1), 0.1 + 0.2);
        lead.Score = new LeadScore(0.7300000000000001, "B", [
            new ScoreComponent("title.seniority", 0.4, 1.0 / 3, 0.13333333333333333, hostile),
            new ScoreComponent(hostile, 1e-300, double.Epsilon, 0, "tiny"),
        ]);
        lead.Qualification = new QualificationDecision(QualificationVerdict.Qualified, [hostile, "score above threshold"]);
        lead.Routing = new RoutingDecision(hostile, hostile, hostile, hostile, hostile);
        lead.Nurture = new NurtureState(hostile, 1, At(2), NurtureOutcome.Sent, hostile);
        lead.Consent = ConsentState.OptedIn;
        lead.Fault = new LeadFault(hostile, hostile, hostile, 3);
        lead.Status = LeadStatus.Contacted;
        lead.UpdatedAt = At(3);
        lead.Version = 7;
        return lead;
    }

    private static string BuildControlCharacters()
    {
        var sb = new StringBuilder();
        for (var c = 1; c < 0x20; c++)
        {
            sb.Append((char)c);
        }

        sb.Append('\u007F').Append("'\"\\");
        return sb.ToString();
    }

    private static string BuildLargeText()
    {
        var sb = new StringBuilder(10_240 + 200);
        while (sb.Length < 10_240)
        {
            sb.Append(SqlText).Append(ControlCharacters).Append(NonAscii);
        }

        return sb.ToString();
    }
}
