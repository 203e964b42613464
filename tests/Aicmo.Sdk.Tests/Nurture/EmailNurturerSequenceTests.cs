using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Templating.Handlebars;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Nurture;

public sealed class EmailNurturerSequenceTests
{
    private readonly InMemoryEmailOutbox _outbox = new();
    private readonly InMemorySuppressionList _suppression = new();
    private readonly RecordingEmailSender _sender = new();

    internal static Lead Routed(Action<Lead>? configure = null, string sequence = "intro") => TestLeads.Create(l =>
    {
        l.Status = LeadStatus.Routed;
        l.Routing = new RoutingDecision("sales", "sdr-1", sequence, "default", "test");
        configure?.Invoke(l);
    });

    /// <summary>The default unsubscribe link of <paramref name="lead"/> as rendered at <see cref="TestLeads.Now"/>: a signed token, keyed per process.</summary>
    private static string DefaultLink(Lead lead)
    {
        var defaults = new EmailNurturerOptions();
        return new UnsubscribeLink(defaults.UnsubscribeUrlTemplate, defaults.CreateUnsubscribeSigner(), defaults.UnsubscribeTokenLifetime).Format(lead, TestLeads.Now);
    }

    private EmailNurturer Create(EmailNurturerOptions? options = null, ITemplateRenderer? renderer = null) =>
        new(options ?? new EmailNurturerOptions(), _outbox, _suppression, _sender, renderer);

    private static EmailNurturerOptions TwoSteps() => new()
    {
        Sequences =
        {
            ["intro"] = new NurtureSequence
            {
                Steps =
                {
                    new NurtureStep { Subject = "Hello {{FirstName}}", Template = "Hi {{FirstName}} from {{CompanyName}}" },
                    new NurtureStep { Delay = TimeSpan.FromDays(2), Subject = "Following up", Template = "Still interested, {{FirstName}}?" },
                },
            },
        },
    };

    [Fact]
    public async Task NurtureAsync_DueStep_SendsWithIdempotencyKeyUnsubscribeLinkAndHeader()
    {
        var lead = Routed();

        var state = await Create().NurtureAsync(lead, TestLeads.Context(), default);

        Assert.Equal(NurtureOutcome.Sent, state.Outcome);
        var message = Assert.Single(_sender.Sent);
        Assert.Equal(new OutboxKey(lead.Id, "intro", 1), message.Key);
        Assert.Equal($"{lead.Id:N}/intro/1", message.IdempotencyKey);
        // The default link carries a signed token (keyed per process when no secret is set), never the guessable lead id.
        const string LinkStart = "<https://example.com/unsubscribe?token=";
        var link = message.Headers["List-Unsubscribe"];
        Assert.StartsWith(LinkStart, link, StringComparison.Ordinal);
        Assert.DoesNotContain(lead.Id.ToString("N"), link, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(lead.Id.ToString("D"), link, StringComparison.OrdinalIgnoreCase);
        var token = link[LinkStart.Length..^1];
        Assert.Equal(UnsubscribeTokenStatus.Valid, new EmailNurturerOptions().CreateUnsubscribeSigner().Verify(token, TestLeads.Now, out var payload));
        Assert.Equal(lead.Id, payload!.LeadId);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.EndsWith("Unsubscribe: " + DefaultLink(lead), message.Body, StringComparison.Ordinal);
        Assert.Equal("Ada, a quick question about Analytical Engines", message.Subject);
        Assert.Equal(OutboxStatus.Sent, (await _outbox.GetAsync(message.Key))!.Status);
    }

    [Fact]
    public async Task NurtureAsync_RunTwiceForTheSameStep_SendsOnce()
    {
        var lead = Routed();
        var nurturer = Create();

        var first = await nurturer.NurtureAsync(lead, TestLeads.Context(), default);
        var again = await nurturer.NurtureAsync(lead, TestLeads.Context(), default);

        Assert.Equal(NurtureOutcome.Sent, first.Outcome);
        Assert.Equal(NurtureOutcome.AlreadySent, again.Outcome);
        Assert.Equal(1, _sender.Count);
        Assert.Empty(_sender.DuplicateKeys);
    }

    [Fact]
    public async Task NurtureAsync_SenderFailedOnce_RetriesWithTheSameKeyAndSendsOnce()
    {
        var lead = Routed();
        var failures = 1;
        _sender.FailWith = _ => failures-- > 0 ? new IOException("connection reset") : null;
        var nurturer = Create();

        await Assert.ThrowsAsync<IOException>(async () => await nurturer.NurtureAsync(lead, TestLeads.Context(), default));
        var state = await nurturer.NurtureAsync(lead, TestLeads.Context(), default);

        Assert.Equal(NurtureOutcome.Sent, state.Outcome);
        Assert.Equal(1, _sender.SendsPerKey[$"{lead.Id:N}/intro/1"]);
    }

    [Fact]
    public async Task NurtureAsync_SequenceSteps_FollowTheirDelaysThenStop()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var context = TestLeads.Context(time);
        var nurturer = Create(TwoSteps());
        var lead = Routed();

        lead.Nurture = await nurturer.NurtureAsync(lead, context, default);
        Assert.Equal((NurtureOutcome.Sent, 1), (lead.Nurture.Outcome, lead.Nurture.LastStep));
        Assert.Equal(TestLeads.Now.AddDays(2), lead.Nurture.NextStepDueAt);

        time.Advance(TimeSpan.FromDays(1));
        var early = await nurturer.NurtureAsync(lead, context, default);
        Assert.Equal(NurtureOutcome.Scheduled, early.Outcome);
        Assert.Equal(TestLeads.Now.AddDays(2), early.NextStepDueAt);

        time.Advance(TimeSpan.FromDays(1));
        lead.Nurture = await nurturer.NurtureAsync(lead, context, default);
        Assert.Equal((NurtureOutcome.Sent, 2), (lead.Nurture.Outcome, lead.Nurture.LastStep));
        Assert.Null(lead.Nurture.NextStepDueAt);

        var done = await nurturer.NurtureAsync(lead, context, default);
        Assert.Equal(NurtureOutcome.Stopped, done.Outcome);
        Assert.Equal(["Hello Ada", "Following up"], _sender.Sent.Select(m => m.Subject));
    }

    [Fact]
    public async Task NurtureAsync_OutsideTheRecipientsWindow_PostponesToTheNextLocalOpening()
    {
        var options = new EmailNurturerOptions { SendingWindow = { Enabled = true, Start = TimeSpan.FromHours(9), End = TimeSpan.FromHours(17) } };
        var saturday = new DateTimeOffset(2025, 1, 11, 15, 0, 0, TimeSpan.Zero);
        var lead = Routed(l => l.TimeZone = "America/New_York");

        var state = await Create(options).NurtureAsync(lead, TestLeads.Context(new FakeTimeProvider(saturday)), default);

        Assert.Equal(NurtureOutcome.Scheduled, state.Outcome);
        Assert.Equal(new DateTimeOffset(2025, 1, 13, 14, 0, 0, TimeSpan.Zero), state.NextStepDueAt); // Monday 09:00 EST
        Assert.Contains("Mon 09:00 local", state.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _sender.Count);
    }

    [Fact]
    public async Task NurtureAsync_WindowStartInASkippedHour_OpensWhenTheClockJumps()
    {
        // 2025-03-09: New York skips 02:00-03:00 local. A 02:30-05:00 window opens at 03:00 EDT (07:00Z) that day, not a day later.
        var options = new EmailNurturerOptions
        {
            SendingWindow = { Enabled = true, Days = { DayOfWeek.Sunday }, Start = new TimeSpan(2, 30, 0), End = TimeSpan.FromHours(5) },
        };
        var lead = Routed(l => l.TimeZone = "America/New_York");
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 9, 6, 0, 0, TimeSpan.Zero)); // 01:00 EST
        var nurturer = Create(options);

        var state = await nurturer.NurtureAsync(lead, TestLeads.Context(time), default);
        Assert.Equal(new DateTimeOffset(2025, 3, 9, 7, 0, 0, TimeSpan.Zero), state.NextStepDueAt);

        lead.Nurture = state;
        time.SetUtcNow(state.NextStepDueAt!.Value);
        Assert.Equal(NurtureOutcome.Sent, (await nurturer.NurtureAsync(lead, TestLeads.Context(time), default)).Outcome);
    }

    [Fact]
    public async Task NurtureAsync_RepeatedHourOnFallBack_SendsOnce()
    {
        // 2025-11-02: New York repeats 01:00-02:00 local. The window 01:00-02:00 spans both passes, and the step goes out once.
        var options = new EmailNurturerOptions
        {
            SendingWindow = { Enabled = true, Days = { DayOfWeek.Sunday }, Start = TimeSpan.FromHours(1), End = TimeSpan.FromHours(2) },
        };
        var lead = Routed(l => l.TimeZone = "America/New_York");
        var nurturer = Create(options);
        var firstPass = new DateTimeOffset(2025, 11, 2, 5, 30, 0, TimeSpan.Zero);  // 01:30 EDT
        var secondPass = new DateTimeOffset(2025, 11, 2, 6, 30, 0, TimeSpan.Zero); // 01:30 EST

        Assert.True(nurturer.IsInsideWindow(firstPass, lead));
        Assert.True(nurturer.IsInsideWindow(secondPass, lead));
        Assert.False(nurturer.IsInsideWindow(new DateTimeOffset(2025, 11, 2, 7, 0, 0, TimeSpan.Zero), lead));

        await nurturer.NurtureAsync(lead, TestLeads.Context(new FakeTimeProvider(firstPass)), default);
        await nurturer.NurtureAsync(lead, TestLeads.Context(new FakeTimeProvider(secondPass)), default);

        Assert.Equal(1, _sender.Count);
    }

    [Fact]
    public async Task NurtureAsync_MailboxHourlyThrottle_PostponesNeverFails()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var nurturer = Create(new EmailNurturerOptions { MaxPerMailboxPerHour = 2 });
        var leads = Enumerable.Range(0, 3).Select(i => Routed(l => l.Email = $"p{i}@analytical.io")).ToArray();

        var states = new List<NurtureState>();
        foreach (var lead in leads)
        {
            states.Add(await nurturer.NurtureAsync(lead, TestLeads.Context(time), default));
        }

        Assert.Equal([NurtureOutcome.Sent, NurtureOutcome.Sent, NurtureOutcome.Scheduled], states.Select(s => s.Outcome));
        Assert.Equal(TestLeads.Now.AddHours(1), states[2].NextStepDueAt);
        Assert.StartsWith("throttled: mailbox outreach@example.com reached 2 sends per hour", states[2].Reason, StringComparison.Ordinal);

        leads[2].Nurture = states[2];
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(NurtureOutcome.Sent, (await nurturer.NurtureAsync(leads[2], TestLeads.Context(time), default)).Outcome);
    }

    [Fact]
    public async Task NurtureAsync_RecipientDomainDailyThrottle_CountsPerDomain()
    {
        var nurturer = Create(new EmailNurturerOptions { MaxPerRecipientDomainPerDay = 1 });
        var context = TestLeads.Context();

        var a = await nurturer.NurtureAsync(Routed(l => l.Email = "a@big.com"), context, default);
        var b = await nurturer.NurtureAsync(Routed(l => l.Email = "b@big.com"), context, default);
        var c = await nurturer.NurtureAsync(Routed(l => l.Email = "c@small.com"), context, default);

        Assert.Equal([NurtureOutcome.Sent, NurtureOutcome.Scheduled, NurtureOutcome.Sent], new[] { a.Outcome, b.Outcome, c.Outcome });
        Assert.Equal(TestLeads.Now.AddDays(1), b.NextStepDueAt);
    }

    [Fact]
    public async Task NurtureAsync_SuppressedAtSendTime_IsNotSent()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var nurturer = Create(TwoSteps());
        var lead = Routed();
        lead.Nurture = await nurturer.NurtureAsync(lead, TestLeads.Context(time), default);

        await _suppression.AddAsync(new SuppressionEntry("ADA.lovelace@analytical.io ", SuppressionReason.Unsubscribed, TestLeads.Now));
        time.Advance(TimeSpan.FromDays(3));
        var state = await nurturer.NurtureAsync(lead, TestLeads.Context(time), default);

        Assert.Equal(NurtureOutcome.Suppressed, state.Outcome);
        Assert.Equal("recipient suppressed: unsubscribed", state.Reason);
        Assert.Equal(1, _sender.Count);
    }

    [Theory]
    [InlineData("Acme\r\nBcc: victim@example.com", "subject")]
    [InlineData("Acme\nX", "subject")]
    [InlineData("Acme\0", "subject")]
    public async Task NurtureAsync_HeaderInjection_IsRejectedBeforeTheSender(string companyName, string header)
    {
        var state = await Create().NurtureAsync(Routed(l => l.CompanyName = companyName), TestLeads.Context(), default);

        Assert.Equal(NurtureOutcome.Rejected, state.Outcome);
        Assert.StartsWith(header, state.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _sender.Count);
    }

    [Fact]
    public async Task NurtureAsync_InjectionInTheDisplayName_IsRejected()
    {
        var options = new EmailNurturerOptions { SubjectTemplate = "Hello" };

        var state = await Create(options).NurtureAsync(Routed(l => l.LastName = "Lovelace\r\nBcc: x@y.z"), TestLeads.Context(), default);

        Assert.Equal(NurtureOutcome.Rejected, state.Outcome);
        Assert.Equal("recipient name contains a control character or a line or paragraph separator; nothing was sent", state.Reason);
        Assert.Equal(0, _sender.Count);
    }

    [Fact]
    public async Task NurtureAsync_DryRun_RecordsWithoutSending()
    {
        var lead = Routed();

        var state = await Create().NurtureAsync(lead, TestLeads.Context(dryRun: true), default);

        Assert.Equal(NurtureOutcome.DryRun, state.Outcome);
        Assert.Equal(0, _sender.Count);
        Assert.Equal(OutboxStatus.DryRun, (await _outbox.GetAsync(new OutboxKey(lead.Id, "intro", 1)))!.Status);
    }

    [Fact]
    public async Task NurtureAsync_HandlebarsTemplates_UseConditionalsFallbacksAndNoHtmlEscaping()
    {
        var options = new EmailNurturerOptions
        {
            Sequences =
            {
                ["intro"] = new NurtureSequence
                {
                    Steps =
                    {
                        new NurtureStep
                        {
                            Subject = "{{FirstName}} at {{CompanyName}}",
                            Template = "{{#if Title}}As {{Title}}{{else}}Hello{{/if}}, {{default Attributes.plan \"no plan\"}}. See {{UnsubscribeUrl}}",
                        },
                    },
                },
            },
        };
        var lead = Routed(l => { l.FirstName = null; l.CompanyName = "O'Brien & Co"; l.Title = null; });

        await Create(options, new HandlebarsTemplateRenderer()).NurtureAsync(lead, TestLeads.Context(), default);

        var message = Assert.Single(_sender.Sent);
        Assert.Equal("there at O'Brien & Co", message.Subject);
        Assert.Equal("As your role, no plan. See " + DefaultLink(lead), message.Body);
    }

    [Fact]
    public void Constructor_MalformedTemplate_FailsNamingTheOption()
    {
        var options = TwoSteps();
        options.Sequences["intro"].Steps[1].Template = "{{#if Title}}never closed";

        var ex = Assert.Throws<ArgumentException>(() => Create(options, new HandlebarsTemplateRenderer()));

        Assert.Contains("EmailNurturerOptions.Sequences[\"intro\"].Steps[1].Template is not a valid template", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_FailNamingTheOption()
    {
        var options = new EmailNurturerOptions { FromAddress = "not an address", DefaultTimeZone = "Mars/Olympus", MaxPerMailboxPerHour = -1 };
        options.SendingWindow.Enabled = true;
        options.SendingWindow.Start = TimeSpan.FromHours(18);

        var ex = Assert.Throws<ArgumentException>(() => Create(options));

        Assert.Contains("EmailNurturerOptions.FromAddress", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EmailNurturerOptions.DefaultTimeZone", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EmailNurturerOptions.MaxPerMailboxPerHour", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EmailNurturerOptions.SendingWindow.Start and End", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SingleBracePlaceholder_FailsSayingHowToWriteIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(new EmailNurturerOptions { SubjectTemplate = "Hi {FirstName}" }));

        Assert.Contains("EmailNurturerOptions.SubjectTemplate uses {FirstName}; placeholders are written {{FirstName}}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlaceholderRenderer_ReplacesFieldsAndRejectsBlocks()
    {
        var render = PlaceholderTemplateRenderer.Instance.Compile("Hi {{ FirstName }}, {{Missing}}!");

        Assert.Equal("Hi Ada, !", render(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["firstname"] = "Ada" }));
        Assert.Throws<FormatException>(() => PlaceholderTemplateRenderer.Instance.Compile("{{#if x}}y{{/if}}"));
        Assert.Throws<FormatException>(() => PlaceholderTemplateRenderer.Instance.Compile("Hi {{FirstName"));
    }

    [Fact]
    public async Task NurtureAsync_Headers_AreATwoEntryMapLookedUpIgnoringCase()
    {
        var lead = Routed();

        await Create().NurtureAsync(lead, TestLeads.Context(), default);

        var headers = Assert.Single(_sender.Sent).Headers;
        var link = $"<{DefaultLink(lead)}>";
        Assert.Equal(2, headers.Count);
        Assert.Equal([new("List-Unsubscribe", link), new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")], headers.ToArray());
        Assert.Equal(link, headers["list-unsubscribe"]);
        Assert.True(headers.ContainsKey("LIST-UNSUBSCRIBE-POST"));
        Assert.False(headers.TryGetValue("Reply-To", out _));
        Assert.Throws<KeyNotFoundException>(() => headers["Reply-To"]);
        Assert.Equal(["List-Unsubscribe", "List-Unsubscribe-Post"], headers.Keys);
        Assert.Equal([link, "List-Unsubscribe=One-Click"], headers.Values);
    }

    [Fact]
    public async Task NurtureAsync_LinkPlaceholdersAndLeadIdInTemplates_RenderTheSameLinkAsTheHeader()
    {
        var options = new EmailNurturerOptions
        {
            UnsubscribeUrlTemplate = "https://example.com/u/{LeadId}?check={LeadId}",
            SubjectTemplate = "Step {{Step}} for {{ LeadId }}",
            BodyTemplate = "Hi {{FirstName}}, leave here: {{UnsubscribeUrl}} ({{Unknown}}{{Owner}})",
        };
        var lead = Routed(l => l.FirstName = "  Ada ", sequence: "not-configured");

        await Create(options).NurtureAsync(lead, TestLeads.Context(), default);

        var message = Assert.Single(_sender.Sent);
        var link = $"https://example.com/u/{lead.Id:N}?check={lead.Id:N}";
        Assert.Equal($"Step 1 for {lead.Id:N}", message.Subject);
        Assert.Equal($"Hi Ada, leave here: {link} (sdr-1)", message.Body);
        Assert.Equal($"<{link}>", message.Headers["List-Unsubscribe"]);
    }
}
