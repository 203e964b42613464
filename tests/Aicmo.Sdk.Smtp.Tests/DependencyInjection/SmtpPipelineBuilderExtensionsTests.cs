using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Smtp.Inbox;
using Aicmo.Sdk.Smtp.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Smtp.Tests.DependencyInjection;

public sealed class SmtpPipelineBuilderExtensionsTests
{
    [Fact]
    public void UseSmtp_RegistersTheSmtpSenderAsTheEmailSender()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddEmailSender(new Aicmo.Sdk.Testing.RecordingEmailSender()).UseSmtp(o =>
        {
            o.Host = "smtp.example.com";
            o.MessageIdDomain = "mail.example.com";
        });
        using var provider = services.BuildServiceProvider();

        var sender = provider.GetRequiredService<IEmailSender>();

        Assert.IsType<SmtpEmailSender>(sender);
        Assert.Same(sender, provider.GetRequiredService<SmtpEmailSender>());
    }

    [Theory]
    [InlineData("", "mail.example.com", null, "SmtpSenderOptions.Host")]
    [InlineData("smtp.example.com", "", null, "SmtpSenderOptions.MessageIdDomain")]
    [InlineData("smtp.example.com", "mail example.com", null, "SmtpSenderOptions.MessageIdDomain")]
    [InlineData("smtp.example.com", "mail.example.com", "user", "SmtpSenderOptions.Password")]
    public void InvalidSmtpOptions_FailAtStartWithTheOptionsName(string host, string domain, string? user, string option)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UseSmtp(o =>
        {
            o.Host = host;
            o.MessageIdDomain = domain;
            o.UserName = user;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not an address", null, "SmtpSenderOptions.EnvelopeFrom")]
    [InlineData(null, "Replies <replies@example.com>", "SmtpSenderOptions.ReplyTo")]
    [InlineData(null, "replies@example.com\u2028", "SmtpSenderOptions.ReplyTo")]
    public void InvalidEnvelopeOrReplyAddress_FailsAtStartWithTheOptionsName(string? envelopeFrom, string? replyTo, string option)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UseSmtp(o =>
        {
            o.Host = "smtp.example.com";
            o.MessageIdDomain = "mail.example.com";
            o.EnvelopeFrom = envelopeFrom;
            o.ReplyTo = replyTo is null ? null : System.Text.RegularExpressions.Regex.Unescape(replyTo);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInboxReader_RegistersTheReaderAndItsHostedService()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddInboxReader(o =>
        {
            o.Host = "imap.example.com";
            o.UserName = "replies@example.com";
            o.Password = "secret";
            o.MessageIdDomain = "mail.example.com";
        });
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.NotNull(provider.GetRequiredService<InboxReader>());
        Assert.Single(provider.GetServices<IHostedService>());
    }

    [Theory]
    [InlineData("InboxReaderOptions.Host")]
    [InlineData("InboxReaderOptions.MessageIdDomain")]
    [InlineData("InboxReaderOptions.ProcessedFolder")]
    [InlineData("InboxReaderOptions.MaxOutOfOfficePause")]
    [InlineData("InboxReaderOptions.ProcessedKeyword")]
    public void InvalidInboxOptions_FailAtStartWithTheOptionsName(string option)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddInboxReader(o =>
        {
            o.Host = option.EndsWith(".Host", StringComparison.Ordinal) ? " " : "imap.example.com";
            o.UserName = "replies@example.com";
            o.Password = "secret";
            o.MessageIdDomain = option.EndsWith("MessageIdDomain", StringComparison.Ordinal) ? string.Empty : "mail.example.com";
            o.ProcessedFolder = option.EndsWith("ProcessedFolder", StringComparison.Ordinal) ? "inbox" : null;
            o.MaxOutOfOfficePause = option.EndsWith("MaxOutOfOfficePause", StringComparison.Ordinal) ? TimeSpan.FromDays(1) : TimeSpan.FromDays(90);
            o.ProcessedKeyword = option.EndsWith("ProcessedKeyword", StringComparison.Ordinal) ? "has space" : "$AicmoProcessed";
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }
}
