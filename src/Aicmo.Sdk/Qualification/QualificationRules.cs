namespace Aicmo.Sdk.Qualification;

/// <summary>The names of the qualification rules, for <see cref="ThresholdQualifierOptions.Rules"/>.</summary>
public static class QualificationRules
{
    /// <summary>Rejects hostile input: control characters, over-long fields, text that is not Unicode-normalized.</summary>
    public const string HostileInput = "hostileInput";

    /// <summary>Disqualifies a lead missing a required field.</summary>
    public const string RequiredFields = "requiredFields";

    /// <summary>Checks the email address's syntax strictly.</summary>
    public const string EmailSyntax = "emailSyntax";

    /// <summary>Applies the disposable-domain policy.</summary>
    public const string DisposableDomain = "disposableDomain";

    /// <summary>Applies the role-account policy.</summary>
    public const string RoleAccount = "roleAccount";

    /// <summary>Applies the free-mail policy.</summary>
    public const string FreeMail = "freeMail";

    /// <summary>Applies the exclusion lists: competitors, customers, countries, addresses.</summary>
    public const string Exclusions = "exclusions";

    /// <summary>Applies the intent threshold.</summary>
    public const string Intent = "intent";

    /// <summary>Compares the score with the threshold and its manual-review band.</summary>
    public const string Score = "score";

    /// <summary>Gets every rule in its default order.</summary>
    public static IReadOnlyList<string> DefaultOrder { get; } =
        [HostileInput, RequiredFields, EmailSyntax, DisposableDomain, RoleAccount, FreeMail, Exclusions, Intent, Score];
}
