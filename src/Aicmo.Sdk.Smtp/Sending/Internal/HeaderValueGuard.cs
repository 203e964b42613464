using System.Globalization;
using Aicmo.Sdk.Nurture;

namespace Aicmo.Sdk.Smtp.Sending.Internal;

/// <summary>
/// Refuses what must never reach a mail header: characters of Unicode categories Cc (which includes U+0085 and TAB), Zl and Zp
/// in any value, header names that are not printable ASCII, and extra headers that would replace the ones this transport owns.
/// </summary>
/// <remarks>
/// The core already keeps CR, LF and NUL out of every header value; the rest of these characters can still split or smuggle a
/// header in some mail software, so the transport refuses them rather than trusting every hop to encode them.
/// </remarks>
internal static class HeaderValueGuard
{
    private static readonly HashSet<string> OwnedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Message-ID", "From", "Sender", "To", "Cc", "Bcc", "Subject", "Date", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
    };

    /// <summary>Throws a permanent <see cref="EmailDeliveryException"/> naming the header when a value holds a refused character.</summary>
    public static void CheckValue(string header, string? value)
    {
        if (value is null)
        {
            return;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (IsRefused(value[i]))
            {
                throw new EmailDeliveryException(
                    EmailDeliveryFailure.Permanent,
                    string.Create(CultureInfo.InvariantCulture, $"The {header} header holds a control or line-separator character (U+{(int)value[i]:X4} at index {i}); the email was not sent."));
            }
        }
    }

    /// <summary>Throws a permanent <see cref="EmailDeliveryException"/> when an extra header's name is not a valid field name or is owned by the transport.</summary>
    public static void CheckExtraHeaderName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Any(static c => c is < '!' or > '~' or ':'))
        {
            throw new EmailDeliveryException(EmailDeliveryFailure.Permanent, $"'{Printable(name)}' is not a valid header name; the email was not sent.");
        }

        if (OwnedHeaders.Contains(name))
        {
            throw new EmailDeliveryException(EmailDeliveryFailure.Permanent, $"The {name} header is set by the SMTP transport and cannot be given as an extra header; the email was not sent.");
        }
    }

    /// <summary>Whether a character is refused in header values: Unicode categories Cc, Zl and Zp.</summary>
    public static bool IsRefused(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static string Printable(string? name) =>
        name is null ? string.Empty : string.Concat(name.Select(static c => c is < ' ' or > '~' ? '?' : c));
}
