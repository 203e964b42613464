using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Qualification;

/// <summary>Options of <see cref="ThresholdQualifier"/>.</summary>
public sealed class ThresholdQualifierOptions
{
    /// <summary>Gets or sets the score a lead needs to qualify.</summary>
    /// <value>The default value is 0.45. Must be in [0, 1].</value>
    public double MinScore { get; set; } = 0.45;

    /// <summary>Gets or sets the half-width of the band around <see cref="MinScore"/> that goes to manual review.</summary>
    /// <value>The default value is 0.05. Must be in [0, 0.5].</value>
    public double ManualReviewBand { get; set; } = 0.05;

    /// <summary>Gets or sets whether a lead needs a valid email address to qualify.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireValidEmail { get; set; } = true;

    /// <summary>Gets or sets whether free-mail addresses are disqualified.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RejectFreeMail { get; set; }

    /// <summary>Gets or sets whether role accounts (info@, sales@) are disqualified.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RejectRoleAccounts { get; set; } = true;
}

/// <summary>
/// The default qualifier: hard rules first (valid email, role accounts, free mail), then the score against a threshold with
/// a manual-review band around it. Every rule that fired is a reason.
/// </summary>
public sealed class ThresholdQualifier : ILeadQualifier
{
    private readonly ThresholdQualifierOptions _options;
    private readonly string _belowReason;
    private readonly string _aboveReason;
    private readonly string _bandReason;

    /// <summary>Initializes a new instance of the <see cref="ThresholdQualifier"/> class.</summary>
    /// <param name="options">The pipeline options; <see cref="AicmoPipelineOptions.Qualification"/> is used.</param>
    public ThresholdQualifier(IOptions<AicmoPipelineOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.Qualification)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ThresholdQualifier"/> class.</summary>
    /// <param name="options">The qualifier options.</param>
    public ThresholdQualifier(ThresholdQualifierOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var low = Math.Max(0, options.MinScore - options.ManualReviewBand);
        var high = Math.Min(1, options.MinScore + options.ManualReviewBand);
        _belowReason = string.Create(CultureInfo.InvariantCulture, $"score below {low:0.00}");
        _aboveReason = string.Create(CultureInfo.InvariantCulture, $"score at or above {high:0.00}");
        _bandReason = string.Create(CultureInfo.InvariantCulture, $"score within the review band [{low:0.00}, {high:0.00})");
    }

    /// <inheritdoc />
    public ValueTask<QualificationDecision> QualifyAsync(Lead lead, StageContext context, CancellationToken cancellationToken) =>
        new(Qualify(lead));

    /// <summary>Qualifies a lead synchronously.</summary>
    /// <param name="lead">The lead, with a score.</param>
    /// <returns>The decision.</returns>
    public QualificationDecision Qualify(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var score = lead.Score ?? throw new InvalidOperationException("The lead has no score; qualification runs after scoring.");
        List<string>? rejections = null;

        var email = lead.Email;
        var validEmail = email is not null && EmailAddress.IsValid(email);
        if (_options.RequireValidEmail && !validEmail)
        {
            (rejections ??= []).Add(email is null ? "no email address" : "malformed email address");
        }

        if (validEmail)
        {
            if (_options.RejectRoleAccounts && EmailDomains.RoleAccounts.GetAlternateLookup<ReadOnlySpan<char>>().Contains(EmailAddress.LocalPartOf(email)))
            {
                (rejections ??= []).Add("role account address");
            }

            if (_options.RejectFreeMail && EmailDomains.FreeMail.GetAlternateLookup<ReadOnlySpan<char>>().Contains(EmailAddress.DomainOf(email)))
            {
                (rejections ??= []).Add("free-mail address");
            }
        }

        var low = _options.MinScore - _options.ManualReviewBand;
        var high = _options.MinScore + _options.ManualReviewBand;
        if (rejections is not null)
        {
            if (score.Value < low)
            {
                rejections.Add(_belowReason);
            }

            return new QualificationDecision(QualificationVerdict.Disqualified, rejections);
        }

        if (score.Value >= high)
        {
            return new QualificationDecision(QualificationVerdict.Qualified, [_aboveReason]);
        }

        return score.Value < low
            ? new QualificationDecision(QualificationVerdict.Disqualified, [_belowReason])
            : new QualificationDecision(QualificationVerdict.ManualReview, [_bandReason]);
    }
}
