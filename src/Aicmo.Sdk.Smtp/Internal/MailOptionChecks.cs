namespace Aicmo.Sdk.Smtp.Internal;

/// <summary>Checks shared by the SMTP and IMAP options validators.</summary>
internal static class MailOptionChecks
{
    /// <summary>Whether a value is a plausible domain name for a Message-ID: ASCII letters, digits, '-' and '.', dot-separated labels.</summary>
    public static bool IsDomain(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 253 || value[0] == '.' || value[^1] == '.' || value.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsPort(int port) => port is > 0 and <= 65535;
}
