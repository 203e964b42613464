using System.Collections.Frozen;

namespace Aicmo.Sdk.Scoring;

/// <summary>Well-known free-mail and role-account names used by the default engines.</summary>
public static class EmailDomains
{
    /// <summary>Gets common free-mail domains (lower case).</summary>
    public static FrozenSet<string> FreeMail { get; } = new[]
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "hotmail.com", "hotmail.co.uk",
        "hotmail.fr", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net",
        "web.de", "mail.ru", "yandex.ru", "yandex.com", "protonmail.com", "proton.me", "zoho.com", "qq.com", "163.com",
        "126.com", "free.fr", "orange.fr", "laposte.net", "libero.it", "t-online.de", "mail.com", "inbox.com", "fastmail.com",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets local parts that address a role or a team rather than a person (lower case).</summary>
    public static FrozenSet<string> RoleAccounts { get; } = new[]
    {
        "info", "sales", "support", "admin", "contact", "hello", "office", "team", "marketing", "noreply", "no-reply",
        "billing", "help", "jobs", "careers", "hr", "press", "webmaster", "postmaster", "abuse", "enquiries", "service",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
