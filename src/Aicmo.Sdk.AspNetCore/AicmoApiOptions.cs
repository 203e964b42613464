using Aicmo.Sdk.AspNetCore.Security;

namespace Aicmo.Sdk.AspNetCore;

/// <summary>Configures the HTTP API mapped by <c>MapAicmoApi</c>. Validated at start-up; a message names the option at fault.</summary>
/// <remarks>
/// Secure by default: the API refuses to start until it has a way to authenticate callers (<see cref="ApiKeys"/> or the host's
/// own policies) or the host opts in to anonymous access with <see cref="AllowAnonymous"/>.
/// </remarks>
public sealed class AicmoApiOptions
{
    /// <summary>Gets the API keys the API accepts (stored hashed; see <see cref="AicmoApiKey.FromPlainKey"/>).</summary>
    public IList<AicmoApiKey> ApiKeys { get; } = [];

    /// <summary>Gets or sets whether callers need no credentials at all. Meant for local development only.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowAnonymous { get; set; }

    /// <summary>Gets or sets the host's authorization policy for reading, used instead of the built-in API-key scope check.</summary>
    /// <value>The default value is <see langword="null"/> (the built-in <see cref="AicmoApiDefaults.ReadPolicy"/>).</value>
    public string? ReadPolicy { get; set; }

    /// <summary>Gets or sets the host's authorization policy for operating (changes and runs).</summary>
    /// <value>The default value is <see langword="null"/> (the built-in <see cref="AicmoApiDefaults.OperatePolicy"/>).</value>
    public string? OperatePolicy { get; set; }

    /// <summary>Gets or sets the host's authorization policy for administration (erasure).</summary>
    /// <value>The default value is <see langword="null"/> (the built-in <see cref="AicmoApiDefaults.AdminPolicy"/>).</value>
    public string? AdminPolicy { get; set; }

    /// <summary>Gets or sets the CORS policy the API's endpoints require, or <see langword="null"/> for no CORS.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CorsPolicy { get; set; }

    /// <summary>Gets or sets how many requests one caller (API key, user, or address when anonymous) may make per <see cref="RateLimitWindow"/>.</summary>
    /// <value>The default value is 600.</value>
    public int RateLimitPermits { get; set; } = 600;

    /// <summary>Gets or sets the window of the per-caller rate limit.</summary>
    /// <value>The default value is one minute.</value>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the largest request body accepted, in bytes; a larger one is refused with 413.</summary>
    /// <value>The default value is 65,536.</value>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Gets or sets the largest page a list endpoint returns; a larger <c>limit</c> is refused with 400.</summary>
    /// <value>The default value is 500.</value>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>Gets or sets the most leads one run may be asked to take.</summary>
    /// <value>The default value is 10,000,000.</value>
    public long MaxLeadsPerRunLimit { get; set; } = 10_000_000;

    /// <summary>Gets or sets how often an idle server-sent event stream gets a heartbeat comment.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how many events wait for one slow subscriber before the oldest are dropped (and a gap is reported).</summary>
    /// <value>The default value is 256.</value>
    public int SubscriberBufferSize { get; set; } = 256;

    /// <summary>Gets or sets how many events of a run are kept for replay (<c>Last-Event-ID</c>); milestones beyond it are kept too.</summary>
    /// <value>The default value is 1,024.</value>
    public int ReplayBufferSize { get; set; } = 1024;

    /// <summary>
    /// Gets or sets the secret mail providers (or the host's relay) sign <c>POST /webhooks/email-events</c> with: an HMAC-SHA256 over
    /// the timestamp and the raw body (see <see cref="Webhooks.AicmoWebhookSignature"/>), at least 32 characters. Without it the
    /// endpoint refuses every call.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (mail events are not accepted).</value>
    public string? EmailEventsSecret { get; set; }

    /// <summary>Gets or sets how far a signed mail event's timestamp may be from now; an older (replayed) or later one is refused with 401.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan EmailEventsTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long a finished run's live state (its events for replay) stays in memory.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan FinishedRunRetention { get; set; } = TimeSpan.FromMinutes(10);
}
