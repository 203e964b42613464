using System.Text;
using MimeKit;

namespace Aicmo.Sdk.Smtp.Tests.Support;

/// <summary>Incoming messages as mail servers and mail clients write them, in wire format.</summary>
public static class SampleMessages
{
    public static MimeMessage Parse(string raw) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n"))));

    /// <summary>A Postfix delivery status notification (RFC 3464) with the returned headers as text/rfc822-headers.</summary>
    public static string Bounce(string ourMessageId, string recipient = "ada@example.org", string action = "failed", string status = "5.1.1") => $"""
        Return-Path: <>
        Date: Sun, 6 Dec 2026 05:40:00 +0000 (UTC)
        From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: news@example.com
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"
        Message-Id: <20261206054000.1A2B3C@mx.example.org>

        This is a MIME-encapsulated message.

        --B0UND
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients.

        <{recipient}>: host mx.example.org[203.0.113.5] said: 550 5.1.1
            <{recipient}>: Recipient address rejected: User unknown

        --B0UND
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.org
        X-Postfix-Queue-ID: 1A2B3C
        Arrival-Date: Sun, 6 Dec 2026 05:39:58 +0000 (UTC)

        Final-Recipient: rfc822; {recipient}
        Original-Recipient: rfc822;{recipient}
        Action: {action}
        Status: {status}
        Remote-MTA: dns; mx.example.org
        Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown

        --B0UND
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        From: Example News <news@example.com>
        To: Ada Lovelace <{recipient}>
        Subject: Hello Ada
        Message-ID: <{ourMessageId}>
        Date: Sun, 06 Dec 2026 05:39:57 +0000

        --B0UND--
        """;

    /// <summary>An old-style bounce: plain text from the mailer daemon with the original message quoted in the body.</summary>
    public static string PlainBounce(string ourMessageId) => $"""
        From: Mail Delivery Subsystem <mailer-daemon@legacy.example.net>
        To: news@example.com
        Subject: Mail delivery failed: returning message to sender
        Date: Sun, 6 Dec 2026 05:41:00 +0000
        Message-ID: <legacy-1@legacy.example.net>

        This message was created automatically by mail delivery software.
        A message that you sent could not be delivered to one or more of its recipients.

          ada@legacy.example.net
            mailbox is full

        ------ This is a copy of the message, including all the headers. ------
        Message-ID: <{ourMessageId}>
        From: Example News <news@example.com>
        Subject: Hello Ada
        """;

    /// <summary>A person's reply in a thread of our emails.</summary>
    public static string Reply(string ourMessageId, string? earlierMessageId = null) => $"""
        From: Ada Lovelace <ada@example.org>
        To: Example News <news@example.com>
        Subject: Re: Hello Ada
        Date: Sun, 6 Dec 2026 06:00:00 +0100
        Message-ID: <reply-{Guid.NewGuid():N}@example.org>
        In-Reply-To: <{ourMessageId}>
        References: {(earlierMessageId is null ? string.Empty : $"<{earlierMessageId}> ")}<{ourMessageId}>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Thanks, please call me next week.

        On Sun, Dec 6, 2026 at 05:39, Example News <news@example.com> wrote:
        > Hi Ada, our webinar is on 20 December.
        """;

    /// <summary>An out-of-office answer; <paramref name="autoHeader"/> is the header line that marks it automatic, if any.</summary>
    public static string OutOfOffice(string ourMessageId, string body, string? autoHeader = "Auto-Submitted: auto-replied", string subject = "Automatic reply: Hello Ada") => $"""
        From: Ada Lovelace <ada@example.org>
        To: news@example.com
        Subject: {subject}
        Date: Sun, 6 Dec 2026 05:40:30 +0000
        Message-ID: <ooo-{Guid.NewGuid():N}@example.org>
        In-Reply-To: <{ourMessageId}>
        {autoHeader ?? "X-Mailer: Example Mail 1.0"}
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        {body}
        """;

    /// <summary>A message that has nothing to do with our emails.</summary>
    public static string Unrelated() => $"""
        From: Someone <someone@example.net>
        To: news@example.com
        Subject: Partnership proposal
        Date: Sun, 6 Dec 2026 04:00:00 +0000
        Message-ID: <other-{Guid.NewGuid():N}@example.net>

        Hello, would you like to talk about a partnership?
        """;
}
