namespace Aicmo.Sdk.Csv.Export.Internal;

/// <summary>Keeps a spreadsheet from running a cell as a formula (CSV injection): such cells get a leading apostrophe.</summary>
internal static class FormulaNeutralizer
{
    /// <summary>Neutralizes one text cell.</summary>
    /// <param name="value">The cell.</param>
    /// <returns>The cell, prefixed with <c>'</c> when it starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR and is not an E.164 number.</returns>
    public static string Neutralize(string value)
    {
        if (value.Length == 0 || value[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r') || IsE164(value))
        {
            return value;
        }

        return "'" + value;
    }

    /// <summary>Whether the value is a phone number in E.164 form: <c>+</c>, a non-zero digit, and 6 to 14 more digits.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsE164(ReadOnlySpan<char> value) =>
        value.Length is >= 8 and <= 16 && value[0] == '+' && value[1] is >= '1' and <= '9' && !value[1..].ContainsAnyExceptInRange('0', '9');
}
