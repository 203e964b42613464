using System.Buffers.Text;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Nurture;

/// <summary>Unsubscribe tokens are signed, bound to a lead, a campaign and an expiry, and refused when forged, changed or expired.</summary>
public class UnsubscribeTokenSignerTests
{
    private const string Secret = "unsubscribe-secret-0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_TokenItCreated_IsValidWithWhatItWasSignedFor()
    {
        var signer = new UnsubscribeTokenSigner(Secret);
        var lead = Guid.NewGuid();

        var token = signer.Create(lead, "c-spring", Now.AddDays(30));

        Assert.Equal(UnsubscribeTokenStatus.Valid, signer.Verify(token, Now, out var payload));
        Assert.Equal(new UnsubscribeTokenPayload(lead, "c-spring", Now.AddDays(30)), payload);
        Assert.DoesNotContain(lead.ToString("N"), token, StringComparison.OrdinalIgnoreCase);
        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
    }

    [Fact]
    public void Verify_EveryByteChanged_IsRefused()
    {
        var signer = new UnsubscribeTokenSigner(Secret);
        var bytes = Base64Url.DecodeFromChars(signer.Create(Guid.NewGuid(), "c-spring", Now.AddDays(30)));

        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;

            Assert.Equal(UnsubscribeTokenStatus.Invalid, signer.Verify(Base64Url.EncodeToString(tampered), Now, out var payload));
            Assert.Null(payload);
        }
    }

    [Fact]
    public void Verify_OtherLeadsIdWithTheSameSignature_IsRefused()
    {
        var signer = new UnsubscribeTokenSigner(Secret);
        var bytes = Base64Url.DecodeFromChars(signer.Create(Guid.NewGuid(), "c-spring", Now.AddDays(30)));
        Guid.NewGuid().TryWriteBytes(bytes.AsSpan(1, 16));

        Assert.Equal(UnsubscribeTokenStatus.Invalid, signer.Verify(Base64Url.EncodeToString(bytes), Now, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("AAAA")]
    [InlineData("%0d%0aSet-Cookie:x")]
    public void Verify_Garbage_IsRefused(string? token)
    {
        Assert.Equal(UnsubscribeTokenStatus.Invalid, new UnsubscribeTokenSigner(Secret).Verify(token, Now, out _));
    }

    [Fact]
    public void Verify_HugeToken_IsRefusedWithoutDecoding()
    {
        Assert.Equal(UnsubscribeTokenStatus.Invalid, new UnsubscribeTokenSigner(Secret).Verify(new string('A', 100_000), Now, out _));
    }

    [Fact]
    public void Verify_SignedWithAnotherSecret_IsRefused_UnlessThatSecretIsAPreviousOne()
    {
        var old = new UnsubscribeTokenSigner("an-older-secret-0123456789abcdefghij");
        var token = old.Create(Guid.NewGuid(), "c-spring", Now.AddDays(30));

        Assert.Equal(UnsubscribeTokenStatus.Invalid, new UnsubscribeTokenSigner(Secret).Verify(token, Now, out _));
        Assert.Equal(UnsubscribeTokenStatus.Valid, new UnsubscribeTokenSigner(Secret, ["an-older-secret-0123456789abcdefghij"]).Verify(token, Now, out _));
    }

    [Fact]
    public void Verify_PastItsExpiry_IsExpired()
    {
        var signer = new UnsubscribeTokenSigner(Secret);
        var token = signer.Create(Guid.NewGuid(), "c-spring", Now);

        Assert.Equal(UnsubscribeTokenStatus.Expired, signer.Verify(token, Now, out _));
        Assert.Equal(UnsubscribeTokenStatus.Valid, signer.Verify(token, Now.AddSeconds(-1), out _));
    }

    [Fact]
    public void Unconfigured_CreateThrows_VerifyRefusesEverything()
    {
        var signer = new UnsubscribeTokenSigner(null);
        var token = new UnsubscribeTokenSigner(Secret).Create(Guid.NewGuid(), "c", Now.AddDays(1));

        Assert.False(signer.IsConfigured);
        Assert.Throws<InvalidOperationException>(() => signer.Create(Guid.NewGuid(), "c", Now.AddDays(1)));
        Assert.Equal(UnsubscribeTokenStatus.Invalid, signer.Verify(token, Now, out _));
    }

    [Fact]
    public void ShortSecret_Throws()
    {
        Assert.Throws<ArgumentException>(() => new UnsubscribeTokenSigner("short"));
    }

    [Fact]
    public void Options_TokenPlaceholderWithoutSecret_OrShortSecret_OrShortLifetime_FailNamingTheOption()
    {
        var failures = new EmailNurturerOptions { UnsubscribeUrlTemplate = "https://mail.example.com/unsubscribe?token={Token}" }.Validate();
        Assert.Contains(failures, f => f.Contains("UnsubscribeTokenSecret", StringComparison.Ordinal));

        failures = new EmailNurturerOptions { UnsubscribeTokenSecret = "short" }.Validate();
        Assert.Contains(failures, f => f.Contains("UnsubscribeTokenSecret", StringComparison.Ordinal) && f.Contains("32", StringComparison.Ordinal));

        failures = new EmailNurturerOptions { UnsubscribeTokenSecret = Secret, UnsubscribeTokenLifetime = TimeSpan.FromDays(1) }.Validate();
        Assert.Contains(failures, f => f.Contains("UnsubscribeTokenLifetime", StringComparison.Ordinal));

        Assert.Empty(new EmailNurturerOptions { UnsubscribeUrlTemplate = "https://mail.example.com/unsubscribe?token={Token}", UnsubscribeTokenSecret = Secret }.Validate());
    }

    [Fact]
    public async Task NurtureAsync_TemplateWithToken_HeaderAndBodyCarryASignedTokenForTheLead()
    {
        var time = new FakeTimeProvider(Now);
        var sender = new RecordingEmailSender();
        var options = new EmailNurturerOptions
        {
            UnsubscribeUrlTemplate = "https://mail.example.com/api/v1/unsubscribe?token={Token}",
            UnsubscribeTokenSecret = Secret,
            UnsubscribeTokenLifetime = TimeSpan.FromDays(90),
        };
        var nurturer = new EmailNurturer(options, new InMemoryEmailOutbox(), new InMemorySuppressionList(), sender);
        var lead = new Lead
        {
            Id = Guid.NewGuid(),
            CampaignId = "c-spring",
            FirstName = "Ada",
            Email = "ada@acme.com",
            Status = LeadStatus.Routed,
            Routing = new RoutingDecision("growth", "sdr-1", "intro", "growth", "test"),
        };

        await nurturer.NurtureAsync(lead, new StageContext(Guid.NewGuid(), "c-spring", StageNames.Nurture, time, dryRun: false), CancellationToken.None);

        var message = Assert.Single(sender.Sent);
        var header = message.Headers["List-Unsubscribe"];
        Assert.StartsWith("<https://mail.example.com/api/v1/unsubscribe?token=", header, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var token = header["<https://mail.example.com/api/v1/unsubscribe?token=".Length..^1];
        Assert.EndsWith("Unsubscribe: https://mail.example.com/api/v1/unsubscribe?token=" + token, message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(lead.Id.ToString("N"), header, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(UnsubscribeTokenStatus.Valid, new UnsubscribeTokenSigner(Secret).Verify(token, Now, out var payload));
        Assert.Equal(new UnsubscribeTokenPayload(lead.Id, "c-spring", new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero).AddDays(90)), payload);
    }
}
