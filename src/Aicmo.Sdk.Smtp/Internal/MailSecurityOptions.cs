using MailKit.Security;

namespace Aicmo.Sdk.Smtp.Internal;

/// <summary>Maps <see cref="MailConnectionSecurity"/> to MailKit's socket options.</summary>
internal static class MailSecurityOptions
{
    public static SecureSocketOptions ToSocketOptions(MailConnectionSecurity security) => security switch
    {
        MailConnectionSecurity.StartTls => SecureSocketOptions.StartTls,
        MailConnectionSecurity.ImplicitTls => SecureSocketOptions.SslOnConnect,
        MailConnectionSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        MailConnectionSecurity.None => SecureSocketOptions.None,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, "Unknown connection security."),
    };
}
