namespace Aicmo.Sdk.Smtp;

/// <summary>How a connection to a mail server (SMTP or IMAP) is protected.</summary>
public enum MailConnectionSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS; the server must offer it, or the connection fails.</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTP submission on port 465, IMAP on port 993).</summary>
    ImplicitTls,

    /// <summary>STARTTLS when the server offers it, plain otherwise. Credentials may then cross the network in the clear.</summary>
    StartTlsWhenAvailable,

    /// <summary>No TLS at all: only for a relay on the same host or a test server on loopback.</summary>
    None,
}
