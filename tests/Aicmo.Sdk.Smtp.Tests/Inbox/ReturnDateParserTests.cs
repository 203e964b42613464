using Aicmo.Sdk.Smtp.Inbox.Internal;

namespace Aicmo.Sdk.Smtp.Tests.Inbox;

public sealed class ReturnDateParserTests
{
    // Sunday, 6 December 2026.
    private static readonly DateOnly Today = new(2026, 12, 6);
    private static readonly DateOnly Latest = Today.AddDays(90);

    [Theory]
    [InlineData("I am out of the office and will be back on 14 December.", "2026-12-14")]
    [InlineData("I'm away until December 14th, 2026 with no access to email.", "2026-12-15")]
    [InlineData("Returning 2026-12-14.", "2026-12-14")]
    [InlineData("Ich bin bis 14.12.2026 nicht im Büro.", "2026-12-15")]
    [InlineData("Ich bin ab dem 20. Dezember wieder erreichbar.", "2026-12-20")]
    [InlineData("Out of office until 12/14/2026.", "2026-12-15")]
    [InlineData("Back 14/12/2026.", "2026-12-14")]
    [InlineData("Away from 1 December, back in the office on 15 December.", "2026-12-15")]
    [InlineData("I'm back on Monday.", "2026-12-07")]
    [InlineData("Out until Friday.", "2026-12-12")]
    [InlineData("Back on Monday at 10.30.", "2026-12-07")]
    [InlineData("On holiday, back January 5.", "2027-01-05")]
    [InlineData("Je serai de retour le 4 janvier.", "2027-01-04")]
    [InlineData("Estaré fuera de la oficina hasta el 10 de enero.", "2027-01-11")]
    [InlineData("Away until Monday, 14 December 2026 inclusive.", "2026-12-15")]
    [InlineData("Out of office.\n\nOn Fri, Dec 4, 2026 at 10:00, News wrote:\n> Our webinar on 20 December\n", null)]
    [InlineData("> Our webinar on 20 December\nI am travelling with limited access to email.", null)]
    [InlineData("I am travelling with limited access to email.", null)]
    [InlineData("Back on 2028-01-01.", null)]
    [InlineData("I was out until 1 December 2026.", null)]
    [InlineData("", null)]
    public void Text_GivesTheReturnDay(string text, string? expected)
    {
        var found = ReturnDateParser.TryParse(text, Today, Today, Latest, out var day);

        Assert.Equal(expected is not null, found);
        if (expected is not null)
        {
            Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), day);
        }
    }

    [Fact]
    public void DateWithoutYear_IsTheNextOccurrenceAfterTheAnswerWasWritten()
    {
        var found = ReturnDateParser.TryParse("Back on 3 March.", new DateOnly(2026, 12, 30), new DateOnly(2027, 1, 2), new DateOnly(2027, 6, 1), out var day);

        Assert.True(found);
        Assert.Equal(new DateOnly(2027, 3, 3), day);
    }
}
