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

    /// <summary>Gets the shipped list of disposable (throw-away) email domains (lower case), matched with their subdomains.</summary>
    public static FrozenSet<string> Disposable { get; } = LoadDisposable();

    /// <summary>Returns whether <paramref name="domain"/> or one of its parent domains is in <paramref name="domains"/>.</summary>
    /// <param name="domains">The domain set (case-insensitive).</param>
    /// <param name="domain">The domain to look up.</param>
    /// <returns><see langword="true"/> when the domain or a parent domain is listed.</returns>
    public static bool ContainsDomainOrParent(IReadOnlySet<string> domains, ReadOnlySpan<char> domain)
    {
        ArgumentNullException.ThrowIfNull(domains);
        while (!domain.IsEmpty)
        {
            if (domains is FrozenSet<string> frozen ? frozen.GetAlternateLookup<ReadOnlySpan<char>>().Contains(domain) : domains.Contains(domain.ToString()))
            {
                return true;
            }

            var dot = domain.IndexOf('.');
            if (dot < 0)
            {
                return false;
            }

            domain = domain[(dot + 1)..];
        }

        return false;
    }

    private static FrozenSet<string> LoadDisposable()
    {
        using var stream = typeof(EmailDomains).Assembly.GetManifestResourceStream("Aicmo.Sdk.disposable-domains.txt")
            ?? throw new InvalidOperationException("The disposable-domain list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var domains = new List<string>(256);
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && trimmed[0] != '#')
            {
                domains.Add(trimmed.ToLowerInvariant());
            }
        }

        return domains.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
