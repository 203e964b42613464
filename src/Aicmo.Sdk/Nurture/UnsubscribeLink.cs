using System.Globalization;
using System.Text;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// The unsubscribe link of <see cref="EmailNurturerOptions.UnsubscribeUrlTemplate"/>, split once at its <c>{LeadId}</c> and
/// <c>{Token}</c> placeholders, so a lead's link is written where it is needed instead of being built by a replace per lead.
/// <c>{Token}</c> becomes the lead's signed token (<see cref="UnsubscribeTokenSigner"/>), which expires
/// <see cref="EmailNurturerOptions.UnsubscribeTokenLifetime"/> after the start of the UTC day the link is rendered.
/// </summary>
internal sealed class UnsubscribeLink
{
    public const string LeadIdPlaceholder = "{LeadId}";
    public const string TokenPlaceholder = "{Token}";

    private readonly string[] _literals;
    private readonly bool[] _isToken;
    private readonly UnsubscribeTokenSigner _signer;
    private readonly TimeSpan _lifetime;

    public UnsubscribeLink(string template, UnsubscribeTokenSigner? signer = null, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        _signer = signer ?? new UnsubscribeTokenSigner(null);
        _lifetime = lifetime ?? TimeSpan.FromDays(365);
        var literals = new List<string>();
        var isToken = new List<bool>();
        var rest = template.AsSpan();
        while (true)
        {
            var lead = rest.IndexOf(LeadIdPlaceholder, StringComparison.Ordinal);
            var token = rest.IndexOf(TokenPlaceholder, StringComparison.Ordinal);
            var at = lead < 0 ? token : token < 0 ? lead : Math.Min(lead, token);
            if (at < 0)
            {
                literals.Add(rest.ToString());
                break;
            }

            literals.Add(rest[..at].ToString());
            var tokenHere = at == token;
            isToken.Add(tokenHere);
            rest = rest[(at + (tokenHere ? TokenPlaceholder.Length : LeadIdPlaceholder.Length))..];
        }

        _literals = [.. literals];
        _isToken = [.. isToken];
        HasToken = _isToken.Contains(true);
        if (HasToken && !_signer.IsConfigured)
        {
            throw new ArgumentException($"The unsubscribe link holds {TokenPlaceholder}, which needs {nameof(EmailNurturerOptions)}.{nameof(EmailNurturerOptions.UnsubscribeTokenSecret)}.", nameof(signer));
        }

        HasHeaderBreak = TextPolicy.IndexOfHeaderBreak(template) >= 0;
    }

    /// <summary>Gets whether the link holds a character not allowed in a header (the lead id and the token never do).</summary>
    public bool HasHeaderBreak { get; }

    /// <summary>Gets whether the link carries a signed token.</summary>
    public bool HasToken { get; }

    /// <summary>Appends the link of a lead: every <c>{LeadId}</c> replaced by the id in the <c>N</c> format, every <c>{Token}</c> by its token.</summary>
    public void Append(StringBuilder sb, Lead lead, DateTimeOffset now)
    {
        var token = HasToken ? Token(lead, now) : null;
        sb.Append(_literals[0]);
        for (var i = 1; i < _literals.Length; i++)
        {
            if (_isToken[i - 1])
            {
                sb.Append(token);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"{lead.Id:N}");
            }

            sb.Append(_literals[i]);
        }
    }

    /// <summary>Returns the link of a lead, optionally in angle brackets (the <c>List-Unsubscribe</c> header value).</summary>
    public string Format(Lead lead, DateTimeOffset now, bool angleBrackets = false)
    {
        var sb = new StringBuilder(_literals.Sum(l => l.Length) + (_literals.Length * 110));
        if (angleBrackets)
        {
            sb.Append('<');
        }

        Append(sb, lead, now);
        if (angleBrackets)
        {
            sb.Append('>');
        }

        return sb.ToString();
    }

    private string Token(Lead lead, DateTimeOffset now) =>
        _signer.Create(lead.Id, lead.CampaignId, new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + _lifetime);
}
