namespace Aicmo.Sdk.Smtp.Inbox;

/// <summary>What one pass of <see cref="InboxReader.ProcessInboxAsync"/> did.</summary>
/// <param name="Examined">Messages read (each is marked so it is not read again).</param>
/// <param name="Bounced">Delivery failure reports whose lead was marked bounced and suppressed.</param>
/// <param name="Stopped">Replies whose lead's sequence was stopped.</param>
/// <param name="Paused">Out-of-office replies whose lead's next step was postponed.</param>
/// <param name="Ignored">Messages about our emails that needed nothing (a delay report, a lead whose sequence was already over or that no longer exists).</param>
/// <param name="Unmatched">Messages that refer to none of our emails; they are left in the folder.</param>
public sealed record InboxPassResult(int Examined, int Bounced, int Stopped, int Paused, int Ignored, int Unmatched);
