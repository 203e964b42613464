namespace Aicmo.Sdk.Http.Security;

/// <summary>
/// Which endpoints a provider's client may connect to. Every connection (the first request and every redirect) is checked
/// against the addresses its host resolves to, at connect time, so a redirect or a DNS answer cannot steer the client to a
/// loopback, link-local (cloud metadata, <c>169.254.169.254</c>), private or otherwise internal address.
/// </summary>
public sealed class HttpEndpointGuardOptions
{
    /// <summary>
    /// Gets the internal endpoints allowed all the same, each as <c>host:port</c> (or a URI), matched exactly on host name
    /// and port: for an API on the host's own network, or a test server on <c>127.0.0.1</c>. Allowing one endpoint allows no
    /// other port or name of the same machine.
    /// </summary>
    public IList<string> AllowedPrivateEndpoints { get; } = [];

    /// <summary>Gets or sets how many redirects are followed (each checked like the first request); 0 follows none.</summary>
    /// <value>The default value is 3.</value>
    public int MaxRedirects { get; set; } = 3;
}
