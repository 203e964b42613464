namespace Aicmo.Sdk.Identity;

/// <summary>Strict, allocation-free checks of email address syntax.</summary>
/// <remarks>
/// Accepts the common dot-atom form <c>local@domain.tld</c> (RFC 5322 without quoted strings, comments or IP literals),
/// with non-ASCII letters allowed (RFC 6531). Rejects white space, control characters and anything a mail header could be
/// injected through.
/// </remarks>
public static class EmailAddress
{
    private const string LocalSpecials = "!#$%&'*+-/=?^_`{|}~.";

    /// <summary>Returns whether <paramref name="address"/> is a syntactically valid address.</summary>
    /// <param name="address">The address to check.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValid(ReadOnlySpan<char> address)
    {
        if (address.Length is < 3 or > 254)
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || at > 64 || at == address.Length - 1)
        {
            return false;
        }

        return IsValidLocalPart(address[..at]) && IsValidDomain(address[(at + 1)..]);
    }

    /// <summary>Returns the domain part of an address, or an empty span when there is none.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The part after the last <c>@</c>.</returns>
    public static ReadOnlySpan<char> DomainOf(ReadOnlySpan<char> address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? [] : address[(at + 1)..];
    }

    /// <summary>Returns the local part of an address, or an empty span when there is none.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The part before the last <c>@</c>.</returns>
    public static ReadOnlySpan<char> LocalPartOf(ReadOnlySpan<char> address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? [] : address[..at];
    }

    private static bool IsValidLocalPart(ReadOnlySpan<char> local)
    {
        if (local[0] == '.' || local[^1] == '.')
        {
            return false;
        }

        var previousDot = false;
        foreach (var c in local)
        {
            var isDot = c == '.';
            if (isDot && previousDot)
            {
                return false;
            }

            previousDot = isDot;
            if (char.IsAsciiLetterOrDigit(c) || LocalSpecials.Contains(c) || (c > 0x7F && char.IsLetterOrDigit(c)))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    private static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        if (domain.Length > 253)
        {
            return false;
        }

        var labels = 0;
        var labelStart = 0;
        for (var i = 0; i <= domain.Length; i++)
        {
            if (i < domain.Length && domain[i] != '.')
            {
                var c = domain[i];
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || (c > 0x7F && char.IsLetterOrDigit(c))))
                {
                    return false;
                }

                continue;
            }

            var label = domain[labelStart..i];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            labels++;
            labelStart = i + 1;
        }

        // A top-level domain of two letters or more, not all digits.
        var tld = domain[(domain.LastIndexOf('.') + 1)..];
        return labels >= 2 && tld.Length >= 2 && tld.ContainsAnyExceptInRange('0', '9');
    }
}
