using System.Globalization;
using System.Text;

namespace Aicmo.Sdk.Identity;

/// <summary>
/// Builds the identity key that makes a lead unique within its campaign, and normalizes the values it is made of.
/// </summary>
/// <remarks>
/// With an email the key is the trimmed, Unicode-normalized (NFKC), lower-cased address (<c>e:</c> prefix);
/// without one it is the normalized company domain and full name (<c>n:</c> prefix). A candidate with neither has no key.
/// </remarks>
public static class LeadIdentity
{
    /// <summary>Normalizes an email address: trimmed, NFKC, lower-cased with the invariant culture.</summary>
    /// <param name="email">The address as given.</param>
    /// <returns>The normalized address, or <see langword="null"/> when the input is empty.</returns>
    public static string? NormalizeEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var trimmed = email.AsSpan().Trim();
        var needsWork = false;
        foreach (var c in trimmed)
        {
            if (c > 0x7F || char.IsAsciiLetterUpper(c))
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return trimmed.Length == email.Length ? email : trimmed.ToString();
        }

        var s = trimmed.ToString();
        s = NormalizeKC(s);
        return s.ToLowerInvariant();
    }

    /// <summary>Normalizes a company domain: trimmed, lower-cased, without scheme, <c>www.</c>, path or trailing dot.</summary>
    /// <param name="domain">The domain or URL as given.</param>
    /// <returns>The bare host name, or <see langword="null"/> when the input is empty.</returns>
    public static string? NormalizeDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return null;
        }

        var s = domain.Trim();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            s = s[(scheme + 3)..];
        }

        var slash = s.AsSpan().IndexOfAny('/', '?', '#');
        if (slash >= 0)
        {
            s = s[..slash];
        }

        s = s.TrimEnd('.');
        if (s.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            s = s[4..];
        }

        s = NormalizeKC(s).ToLowerInvariant();
        return s.Length == 0 ? null : s;
    }

    /// <summary>Normalizes a person's name for identity: NFKC, lower-cased, runs of white space collapsed to one space.</summary>
    /// <param name="name">The name as given.</param>
    /// <returns>The normalized name, or <see langword="null"/> when the input is empty.</returns>
    public static string? NormalizeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var s = NormalizeKC(name);
        var sb = new StringBuilder(s.Length);
        var pendingSpace = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>Computes the identity key of a person.</summary>
    /// <param name="email">The email address, if any.</param>
    /// <param name="companyDomain">The company domain, used when there is no email.</param>
    /// <param name="firstName">The given name, used when there is no email.</param>
    /// <param name="lastName">The family name, used when there is no email.</param>
    /// <returns>The key, or <see langword="null"/> when there is not enough to identify the person.</returns>
    public static string? ComputeKey(string? email, string? companyDomain, string? firstName, string? lastName)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            var trimmed = email.AsSpan().Trim();
            if (Ascii.IsValid(trimmed))
            {
                // ASCII is already in NFKC, and lower-casing it is ASCII lower-casing: the key is made in one string.
                return trimmed.ContainsAnyInRange('A', 'Z') ? AsciiKey(trimmed) : string.Concat("e:", trimmed);
            }

            return NonAsciiKey(trimmed) ?? string.Concat("e:", NormalizeEmail(email));
        }

        var domain = NormalizeDomain(companyDomain);
        var name = NormalizeName(string.Concat(firstName, " ", lastName));
        if (domain is null || name is null)
        {
            return null;
        }

        return string.Concat("n:", domain, "|", name);
    }

    private static string AsciiKey(ReadOnlySpan<char> email) =>
        string.Create(email.Length + 2, email, static (span, source) =>
        {
            span[0] = 'e';
            span[1] = ':';
            Ascii.ToLower(source, span[2..], out _);
        });

    // The key of an address with non-ASCII characters: NFKC into a stack buffer, then lower-cased into the key, so the key is the
    // only string made. Null when the address, or its normalized form, is too long for the buffer (the caller takes the general
    // path).
    private static string? NonAsciiKey(ReadOnlySpan<char> email)
    {
        const int MaxStackLength = 256;
        if (email.Length > MaxStackLength)
        {
            return null;
        }

        Span<char> buffer = stackalloc char[MaxStackLength * 4];
        scoped ReadOnlySpan<char> normalized;
        try
        {
            if (email.IsNormalized(NormalizationForm.FormKC))
            {
                normalized = email;
            }
            else if (email.TryNormalize(buffer[..(MaxStackLength * 2)], out var written, NormalizationForm.FormKC))
            {
                normalized = buffer[..written];
            }
            else
            {
                return null;
            }
        }
        catch (ArgumentException)
        {
            // Not Unicode (an unpaired surrogate): kept as it is, as NormalizeKC does.
            normalized = email;
        }

        // The first half of the buffer holds the normalized text (at most half the buffer), the second its lower-case form.
        var lower = buffer[(MaxStackLength * 2)..][..normalized.Length];
        normalized.ToLowerInvariant(lower);
        return string.Concat("e:", lower);
    }

    // Text with an unpaired surrogate is not Unicode, and normalizing it throws. Such a value is kept as it is: the key stays
    // deterministic, and qualification rejects the lead as hostile input instead of the run failing on it.
    private static string NormalizeKC(string s)
    {
        try
        {
            return s.IsNormalized(NormalizationForm.FormKC) ? s : s.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return s;
        }
    }

    /// <summary>
    /// Builds the identity key of a candidate that has neither an email address nor a company domain and full name, so that
    /// reading the same record again (a resumed run, a second import) finds it a duplicate: from its source and external id
    /// when it has one (<c>s:</c> prefix), else from its source and every field it carries (<c>r:</c> prefix), hashed.
    /// </summary>
    /// <param name="candidate">The candidate.</param>
    /// <param name="source">The name of the source that yielded it.</param>
    /// <returns>The key.</returns>
    public static string ComputeFallbackKey(Domain.LeadCandidate candidate, string source)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(source);
        var c = candidate;
        if (!string.IsNullOrWhiteSpace(c.ExternalId))
        {
            return string.Concat("s:", Hash(source + "\u001f" + c.ExternalId.Trim()));
        }

        var row = new StringBuilder(source).Append('\u001f');
        foreach (var field in (ReadOnlySpan<string?>)[c.FirstName, c.LastName, c.Email, c.Title, c.Phone, c.TimeZone, c.CompanyName, c.CompanyDomain, c.Industry, c.Country])
        {
            row.Append(field?.Trim()).Append('\u001f');
        }

        row.Append(c.CompanySize?.ToString(CultureInfo.InvariantCulture)).Append('\u001f')
            .Append(c.AnnualRevenue?.ToString(CultureInfo.InvariantCulture)).Append('\u001f');
        if (c.Attributes is { Count: > 0 } attributes)
        {
            foreach (var pair in attributes.OrderBy(static p => p.Key, StringComparer.Ordinal))
            {
                row.Append(pair.Key).Append('=').Append(pair.Value).Append('\u001f');
            }
        }

        return string.Concat("r:", Hash(row.ToString()));

        static string Hash(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
