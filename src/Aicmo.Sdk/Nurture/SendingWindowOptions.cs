namespace Aicmo.Sdk.Nurture;

/// <summary>When emails may be sent, in the recipient's local time.</summary>
public sealed class SendingWindowOptions
{
    /// <summary>Gets or sets whether the window applies; when off, emails go out whenever they are due.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the local days on which emails may be sent; empty means Monday to Friday.</summary>
    /// <value>Empty by default (so configuration binding replaces, rather than extends, the working week).</value>
    public IList<DayOfWeek> Days { get; set; } = [];

    /// <summary>Gets or sets the local time of day the window opens.</summary>
    /// <value>The default value is 09:00.</value>
    public TimeSpan Start { get; set; } = TimeSpan.FromHours(9);

    /// <summary>Gets or sets the local time of day the window closes (exclusive).</summary>
    /// <value>The default value is 17:00.</value>
    public TimeSpan End { get; set; } = TimeSpan.FromHours(17);
}
