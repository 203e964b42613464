namespace Aicmo.Sdk.Nurture;

/// <summary>
/// Options of <see cref="EmailNurturer"/>: sender, sequences of steps, template fallbacks, sending window and throttles.
/// Every property is settable and every collection bindable from <c>IConfiguration</c>.
/// </summary>
public sealed partial class EmailNurturerOptions
{
    /// <summary>The default <see cref="UnsubscribeUrlTemplate"/>: a signed token, never a lead id.</summary>
    internal const string DefaultUnsubscribeUrlTemplate = "https://example.com/unsubscribe?token={Token}";

    /// <summary>Gets or sets the sender address (the mailbox throttles count against).</summary>
    /// <value>The default value is <c>outreach@example.com</c>. Must be a valid address.</value>
    public string FromAddress { get; set; } = "outreach@example.com";

    /// <summary>Gets or sets the sender display name.</summary>
    /// <value>The default value is <c>Aicmo</c>.</value>
    public string? FromName { get; set; } = "Aicmo";

    /// <summary>
    /// Gets or sets the subject of a sequence that is not configured in <see cref="Sequences"/> (a one-step sequence).
    /// Fields: <c>FirstName</c>, <c>LastName</c>, <c>FullName</c>, <c>Email</c>, <c>Title</c>, <c>CompanyName</c>,
    /// <c>CompanyDomain</c>, <c>Industry</c>, <c>Country</c>, <c>Owner</c>, <c>Team</c>, <c>Sequence</c>, <c>Step</c>,
    /// <c>LeadId</c>, <c>UnsubscribeUrl</c> and <c>Attributes</c>; a missing value renders as its <see cref="Fallbacks"/> entry.
    /// </summary>
    public string SubjectTemplate { get; set; } = "{{FirstName}}, a quick question about {{CompanyName}}";

    /// <summary>Gets or sets the plain-text body of a sequence not configured in <see cref="Sequences"/>, with the same fields as <see cref="SubjectTemplate"/>.</summary>
    public string BodyTemplate { get; set; } =
        "Hi {{FirstName}},\n\nI lead outreach for teams like {{CompanyName}}. Would a short call next week be useful?\n\n{{Owner}}";

    /// <summary>
    /// Gets or sets the unsubscribe link; <c>{Token}</c> is replaced by the lead's signed unsubscribe token (see
    /// <see cref="UnsubscribeTokenSigner"/>) and <c>{LeadId}</c> by the lead id. Sent as the <c>List-Unsubscribe</c> header (with
    /// one-click <c>List-Unsubscribe-Post</c>) and appended to every body that does not place <c>{{UnsubscribeUrl}}</c> itself.
    /// Point it at the HTTP API's one-click endpoint, for example <c>https://mail.example.com/api/v1/unsubscribe?token={Token}</c>,
    /// and set <see cref="UnsubscribeTokenSecret"/>: a bare lead id can be guessed or copied from one email to another, a token
    /// cannot.
    /// </summary>
    /// <remarks>
    /// A link of your own that holds <c>{Token}</c> needs <see cref="UnsubscribeTokenSecret"/> (start-up fails without it). The
    /// default link needs none: without a secret its tokens are signed with a random key made once per process, so they stop
    /// being accepted when the process restarts and are not accepted by other processes; set the secret before sending real mail.
    /// </remarks>
    /// <value>The default value is <c>https://example.com/unsubscribe?token={Token}</c>.</value>
    public string UnsubscribeUrlTemplate { get; set; } = DefaultUnsubscribeUrlTemplate;

    /// <summary>
    /// Gets or sets the secret that signs unsubscribe tokens (HMAC-SHA256), at least 32 characters, from the host's secret store.
    /// Required when a link of your own in <see cref="UnsubscribeUrlTemplate"/> holds <c>{Token}</c>; the HTTP API checks tokens
    /// with the same secret.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? UnsubscribeTokenSecret { get; set; }

    /// <summary>
    /// Creates the signer of the unsubscribe tokens: keyed by <see cref="UnsubscribeTokenSecret"/>, or, for the default link
    /// without one, by the process's random key (the nurture stage and the HTTP API then still agree).
    /// </summary>
    internal UnsubscribeTokenSigner CreateUnsubscribeSigner() => new(
        UnsubscribeTokenSecret ?? (UnsubscribeUrlTemplate == DefaultUnsubscribeUrlTemplate ? UnsubscribeTokenSigner.ProcessSecret : null),
        PreviousUnsubscribeTokenSecrets);

    /// <summary>Gets the secrets used before <see cref="UnsubscribeTokenSecret"/>, whose tokens are still accepted.</summary>
    public IList<string> PreviousUnsubscribeTokenSecrets { get; } = [];

    /// <summary>
    /// Gets or sets how long an unsubscribe token is accepted after the email that carries it was rendered (the expiry is
    /// counted from the start of that UTC day, so a message rendered again the same day carries the same link).
    /// </summary>
    /// <value>The default value is 365 days; at least 30 days, since a link must keep working well after the email was sent.</value>
    public TimeSpan UnsubscribeTokenLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Gets or sets the sequences by name (the name routing assigns). A routed sequence not listed here is one step of <see cref="SubjectTemplate"/> and <see cref="BodyTemplate"/>.</summary>
    public IDictionary<string, NurtureSequence> Sequences { get; set; } = new Dictionary<string, NurtureSequence>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets what a missing template field renders as, by field name (case-insensitive). Fields not listed render empty.</summary>
    /// <value>By default <c>FirstName</c> → <c>there</c>, <c>CompanyName</c> → <c>your company</c>, <c>Title</c> → <c>your role</c>, <c>Owner</c> → <c>The team</c>.</value>
    public IDictionary<string, string> Fallbacks { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["FirstName"] = "there",
        ["CompanyName"] = "your company",
        ["Title"] = "your role",
        ["Owner"] = "The team",
    };

    /// <summary>Gets or sets when emails may be sent, in the recipient's time zone.</summary>
    public SendingWindowOptions SendingWindow { get; set; } = new();

    /// <summary>Gets or sets the IANA time zone used for recipients whose time zone is missing or unknown.</summary>
    /// <value>The default value is <c>UTC</c>.</value>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>Gets or sets the most emails a sending mailbox sends in any rolling hour; 0 means no limit. A throttled send is postponed.</summary>
    public int MaxPerMailboxPerHour { get; set; }

    /// <summary>Gets or sets the most emails a sending mailbox sends in any rolling 24 hours; 0 means no limit.</summary>
    public int MaxPerMailboxPerDay { get; set; }

    /// <summary>Gets or sets the most emails sent to one recipient domain in any rolling hour; 0 means no limit.</summary>
    public int MaxPerRecipientDomainPerHour { get; set; }

    /// <summary>Gets or sets the most emails sent to one recipient domain in any rolling 24 hours; 0 means no limit.</summary>
    public int MaxPerRecipientDomainPerDay { get; set; }

    /// <summary>
    /// Gets or sets how long a send attempt holds its claim on an outbox key. While the claim is live nobody else sends that
    /// step; a claim left by a process that died is re-sent (with the same idempotency key, counted as a possible duplicate)
    /// only after it has expired. It must be longer than a send and its confirmation can take.
    /// <value>The default value is 5 minutes.</value>
    /// </summary>
    public TimeSpan SendClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets after how many failed attempts at the same step (each after the transport's transient retries) the lead
    /// is quarantined by <see cref="NurtureService"/>.
    /// <value>The default value is 3.</value>
    /// </summary>
    public int MaxFailedSendPasses { get; set; } = 3;

    /// <summary>Gets or sets how long a step whose send failed waits before the next attempt. <value>The default value is 15 minutes.</value></summary>
    public TimeSpan FailedSendRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Validates the options that need no template renderer; every failure names the option.</summary>
    /// <param name="prefix">The path of these options, for example <c>AicmoPipelineOptions.Nurture</c>.</param>
    /// <returns>The failures; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate(string prefix = nameof(EmailNurturerOptions))
    {
        var failures = new List<string>();
        if (!Identity.EmailAddress.IsValid(FromAddress ?? string.Empty))
        {
            failures.Add($"{prefix}.{nameof(FromAddress)} must be a valid email address (was '{FromAddress}').");
        }

        if (!Domain.TextPolicy.IsSafeDisplayName(FromName))
        {
            failures.Add($"{prefix}.{nameof(FromName)} cannot contain control characters, line or paragraph separators, or any of \" , < > ; : @ \\.");
        }

        if (SendClaimTimeout <= TimeSpan.Zero || SendClaimTimeout > TimeSpan.FromDays(1))
        {
            failures.Add($"{prefix}.{nameof(SendClaimTimeout)} must be more than 0 and at most one day (was {SendClaimTimeout}).");
        }

        if (MaxFailedSendPasses < 1)
        {
            failures.Add($"{prefix}.{nameof(MaxFailedSendPasses)} must be at least 1 (was {MaxFailedSendPasses}).");
        }

        if (FailedSendRetryDelay <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}.{nameof(FailedSendRetryDelay)} must be more than 0 (was {FailedSendRetryDelay}).");
        }

        if (string.IsNullOrWhiteSpace(SubjectTemplate))
        {
            failures.Add($"{prefix}.{nameof(SubjectTemplate)} must be set.");
        }

        if (string.IsNullOrWhiteSpace(BodyTemplate))
        {
            failures.Add($"{prefix}.{nameof(BodyTemplate)} must be set.");
        }

        CheckPlaceholders(SubjectTemplate, $"{prefix}.{nameof(SubjectTemplate)}", failures);
        CheckPlaceholders(BodyTemplate, $"{prefix}.{nameof(BodyTemplate)}", failures);

        var probe = (UnsubscribeUrlTemplate ?? string.Empty).Replace("{LeadId}", "x", StringComparison.Ordinal).Replace(UnsubscribeLink.TokenPlaceholder, "x", StringComparison.Ordinal);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || HasHeaderBreak(probe))
        {
            failures.Add($"{prefix}.{nameof(UnsubscribeUrlTemplate)} must be an absolute http(s) URL (was '{UnsubscribeUrlTemplate}').");
        }

        if (UnsubscribeTokenSecret is { Length: < UnsubscribeTokenSigner.MinimumSecretLength })
        {
            failures.Add($"{prefix}.{nameof(UnsubscribeTokenSecret)} must be at least {UnsubscribeTokenSigner.MinimumSecretLength} characters long when set (was {UnsubscribeTokenSecret.Length}).");
        }

        if (PreviousUnsubscribeTokenSecrets.Any(k => k is null || k.Length < UnsubscribeTokenSigner.MinimumSecretLength))
        {
            failures.Add($"{prefix}.{nameof(PreviousUnsubscribeTokenSecrets)} may hold only secrets of at least {UnsubscribeTokenSigner.MinimumSecretLength} characters.");
        }

        if (UnsubscribeTokenSecret is null && UnsubscribeUrlTemplate != DefaultUnsubscribeUrlTemplate &&
            (UnsubscribeUrlTemplate ?? string.Empty).Contains(UnsubscribeLink.TokenPlaceholder, StringComparison.Ordinal))
        {
            failures.Add($"{prefix}.{nameof(UnsubscribeUrlTemplate)} holds {UnsubscribeLink.TokenPlaceholder}, which needs {prefix}.{nameof(UnsubscribeTokenSecret)}.");
        }

        if (UnsubscribeTokenLifetime < TimeSpan.FromDays(30) || UnsubscribeTokenLifetime > TimeSpan.FromDays(3650))
        {
            failures.Add($"{prefix}.{nameof(UnsubscribeTokenLifetime)} must be between 30 and 3,650 days (was {UnsubscribeTokenLifetime}).");
        }

        if (string.IsNullOrWhiteSpace(DefaultTimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(DefaultTimeZone, out _))
        {
            failures.Add($"{prefix}.{nameof(DefaultTimeZone)} must be a known time zone id (was '{DefaultTimeZone}').");
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(MaxPerMailboxPerHour), MaxPerMailboxPerHour), (nameof(MaxPerMailboxPerDay), MaxPerMailboxPerDay),
                     (nameof(MaxPerRecipientDomainPerHour), MaxPerRecipientDomainPerHour), (nameof(MaxPerRecipientDomainPerDay), MaxPerRecipientDomainPerDay),
                 })
        {
            if (value < 0)
            {
                failures.Add($"{prefix}.{name} cannot be negative (was {value}); 0 means no limit.");
            }
        }

        var window = SendingWindow;
        if (window is null)
        {
            failures.Add($"{prefix}.{nameof(SendingWindow)} cannot be null.");
        }
        else if (window.Enabled)
        {
            if (window.Start < TimeSpan.Zero || window.End > TimeSpan.FromHours(24) || window.Start >= window.End)
            {
                failures.Add($"{prefix}.SendingWindow.Start and End must satisfy 00:00 <= Start < End <= 24:00 (were {window.Start}, {window.End}).");
            }

            if (window.Days is null || window.Days.Any(d => !Enum.IsDefined(d)))
            {
                failures.Add($"{prefix}.SendingWindow.Days must list days of the week.");
            }
        }

        foreach (var (name, sequence) in Sequences ?? new Dictionary<string, NurtureSequence>())
        {
            var path = $"{prefix}.Sequences[\"{name}\"]";
            if (sequence?.Steps is not { Count: > 0 })
            {
                failures.Add($"{path}.Steps must hold at least one step.");
                continue;
            }

            if (sequence.FromAddress is not null && !Identity.EmailAddress.IsValid(sequence.FromAddress))
            {
                failures.Add($"{path}.FromAddress must be a valid email address (was '{sequence.FromAddress}').");
            }

            if (!Domain.TextPolicy.IsSafeDisplayName(sequence.FromName))
            {
                failures.Add($"{path}.FromName cannot contain control characters, line or paragraph separators, or any of \" , < > ; : @ \\.");
            }

            for (var i = 0; i < sequence.Steps.Count; i++)
            {
                var step = sequence.Steps[i];
                if (step is null)
                {
                    failures.Add($"{path}.Steps[{i}] cannot be null.");
                    continue;
                }

                if (step.Delay < TimeSpan.Zero || step.Delay > TimeSpan.FromDays(366))
                {
                    failures.Add($"{path}.Steps[{i}].Delay must be between 0 and 366 days (was {step.Delay}).");
                }

                if (string.IsNullOrWhiteSpace(step.Subject))
                {
                    failures.Add($"{path}.Steps[{i}].Subject must be set.");
                }

                if (string.IsNullOrWhiteSpace(step.Template))
                {
                    failures.Add($"{path}.Steps[{i}].Template must be set.");
                }

                CheckPlaceholders(step.Subject, $"{path}.Steps[{i}].Subject", failures);
                CheckPlaceholders(step.Template, $"{path}.Steps[{i}].Template", failures);
            }
        }

        return failures;

        // Templates once used single braces ({FirstName}); such a placeholder would now go out literally, so say so at start-up.
        static void CheckPlaceholders(string? template, string option, List<string> failures)
        {
            if (template is not null && OldPlaceholder().Match(template) is { Success: true } match)
            {
                failures.Add($"{option} uses {match.Value}; placeholders are written {{{match.Value}}} (double braces).");
            }
        }

        static bool HasHeaderBreak(string? value) => Domain.TextPolicy.IndexOfHeaderBreak(value) >= 0;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\{)\{(FirstName|LastName|FullName|Email|Title|CompanyName|CompanyDomain|Industry|Country|Owner|Team|Sequence|Step|LeadId|UnsubscribeUrl)\}(?!\})")]
    private static partial System.Text.RegularExpressions.Regex OldPlaceholder();
}
