using Aicmo.Sdk.Testing.Contracts;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Aicmo.Sdk.Smtp.Tests.Support;

/// <summary>
/// The IMAP server the inbox reader tests run against, from <c>AICMO_IMAP_CONNECTION</c> (<c>host=…;port=…;user=…;password=…</c>,
/// set by <c>.ci/services.d/dovecot.sh</c> under <c>./build.sh test</c>). Without it the tests fail in CI (<c>CI=true</c>) and are
/// skipped elsewhere, saying how to run them.
/// </summary>
public static class ImapTestServer
{
    public const string Variable = "AICMO_IMAP_CONNECTION";

    public const string HowToRun = $"{Variable} is not set: run ./build.sh test, or `source .ci/services.d/dovecot.sh` (it installs and starts a throwaway dovecot) before dotnet test.";

    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Host => Setting("host");

    public static int Port => int.Parse(Setting("port"), System.Globalization.CultureInfo.InvariantCulture);

    public static string User => Setting("user");

    public static string Password => Setting("password");

    /// <summary>Creates a folder of its own for one test and appends the messages to it.</summary>
    public static async Task<string> CreateFolderWithAsync(params string[] rawMessages)
    {
        var name = "test-" + Guid.NewGuid().ToString("N")[..12];
        using var client = await ConnectAsync();
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var folder = await root.CreateAsync(name, isMessageFolder: true) ?? throw new InvalidOperationException("The folder was not created.");
        foreach (var raw in rawMessages)
        {
            await folder.AppendAsync(new AppendRequest(SampleMessages.Parse(raw)));
        }

        await client.DisconnectAsync(true);
        return name;
    }

    /// <summary>Returns the messages of a folder with their keywords.</summary>
    public static async Task<IReadOnlyList<(MimeMessage Message, IReadOnlySet<string> Keywords)>> ReadFolderAsync(string name)
    {
        using var client = await ConnectAsync();
        var folder = await client.GetFolderAsync(name);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var result = new List<(MimeMessage, IReadOnlySet<string>)>();
        if (folder.Count > 0)
        {
            foreach (var summary in await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags))
            {
                result.Add((await folder.GetMessageAsync(summary.UniqueId), summary.Keywords.ToHashSet(StringComparer.Ordinal)));
            }
        }

        await client.DisconnectAsync(true);
        return result;
    }

    /// <summary>Appends one more message to a folder.</summary>
    public static async Task AppendAsync(string name, string raw)
    {
        using var client = await ConnectAsync();
        var folder = await client.GetFolderAsync(name);
        await folder.AppendAsync(new AppendRequest(SampleMessages.Parse(raw)));
        await client.DisconnectAsync(true);
    }

    private static async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    private static string Setting(string key)
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException((IsCI ? "IMAP tests never skip in CI. " : string.Empty) + HowToRun);
        }

        foreach (var pair in value.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at > 0 && pair[..at].Trim().Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return pair[(at + 1)..];
            }
        }

        throw new InvalidOperationException($"{Variable} has no '{key}' setting.");
    }
}

/// <summary>Skips a class's <see cref="StoreFactAttribute"/> facts when no IMAP server is configured, except in CI, where they run and fail saying why.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SkipWithoutImapAttribute : StoreSkipAttribute
{
    public override string? GetSkipReason() => ImapTestServer.IsConfigured || ImapTestServer.IsCI ? null : ImapTestServer.HowToRun;
}
