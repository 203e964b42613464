using Aicmo.Sdk.Nurture;

namespace Aicmo.Sdk.Tests.Nurture;

public sealed class SendingWindowPropertyTests
{
    private static readonly string[] Zones = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Sao_Paulo", "Asia/Kolkata", "Pacific/Chatham", "UTC"];

    [Fact]
    public void NextOpening_AnyInstantAndZone_IsInsideTheLocalWindowAndNeverSkipsAnOpenDay()
    {
        var window = new SendingWindow(new SendingWindowOptions { Enabled = true, Start = new TimeSpan(8, 30, 0), End = TimeSpan.FromHours(18) });
        var random = new Random(21);
        for (var i = 0; i < 20_000; i++)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Zones[random.Next(Zones.Length)]);
            var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 365 * 24 * 60));

            var opening = window.NextOpening(now, zone);
            var local = TimeZoneInfo.ConvertTime(opening, zone);

            Assert.True(opening >= now);
            Assert.True(local.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday, $"{zone.Id} {local:O}");
            Assert.True(local.TimeOfDay >= new TimeSpan(8, 30, 0) && local.TimeOfDay < TimeSpan.FromHours(18), $"{zone.Id} {now:O} -> {local:O}");
            Assert.True(opening - now < TimeSpan.FromDays(4), $"{zone.Id} waited from {now:O} to {opening:O}");
            if (opening > now)
            {
                // Nothing open was skipped: a minute earlier the window was still closed (or it is the opening itself).
                Assert.NotEqual(opening - TimeSpan.FromMinutes(1), window.NextOpening(opening - TimeSpan.FromMinutes(1), zone));
            }
        }
    }
}
