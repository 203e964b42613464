using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.AspNetCore.People.Internal;

/// <summary>The rules for an address the API is given: no control characters or separators, at most 254 characters, a valid address.</summary>
internal static class EmailRules
{
    public const int MaxLength = 254;

    /// <summary>Returns why <paramref name="email"/> is refused, or <see langword="null"/> with its normalized form.</summary>
    public static string? Check(string? email, out string normalized)
    {
        normalized = string.Empty;
        if (TextRules.Check(email, MaxLength, required: true) is { } problem)
        {
            return problem;
        }

        if (LeadIdentity.NormalizeEmail(email) is not { } value || !EmailAddress.IsValid(value))
        {
            return "Not a valid email address.";
        }

        normalized = value;
        return null;
    }
}
