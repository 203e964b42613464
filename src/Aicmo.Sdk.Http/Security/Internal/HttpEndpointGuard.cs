using System.Net;
using System.Net.Sockets;

namespace Aicmo.Sdk.Http.Security.Internal;

/// <summary>The connect step of the provider's handler: resolves the host, refuses internal addresses not allowed, and connects only to the addresses it checked.</summary>
internal sealed class HttpEndpointGuard
{
    private readonly HashSet<(string Host, int Port)> _allowed;

    public HttpEndpointGuard(HttpEndpointGuardOptions options)
    {
        _allowed = new HashSet<(string, int)>(options.AllowedPrivateEndpoints.Select(Parse));
    }

    /// <summary>Creates the primary handler: redirects followed by the handler itself (so every hop connects through the guard), no proxy.</summary>
    /// <param name="options">The guard's options.</param>
    /// <returns>The handler.</returns>
    public static SocketsHttpHandler CreateHandler(HttpEndpointGuardOptions options)
    {
        var guard = new HttpEndpointGuard(options);
        return new SocketsHttpHandler
        {
            ConnectCallback = guard.ConnectAsync,

            // A proxy would make the guard check the proxy's address instead of the target's.
            UseProxy = false,
            AllowAutoRedirect = options.MaxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(1, options.MaxRedirects),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.All,
        };
    }

    /// <summary>Whether an address is loopback, link-local, private, shared (CGNAT), unique-local, site-local, unspecified or multicast.</summary>
    /// <param name="address">The address.</param>
    /// <returns>Whether it is internal.</returns>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) ||
                   (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] >= 224;
        }

        var v6 = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (v6[0] & 0xFE) == 0xFC;
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (!_allowed.Contains((host.Trim('[', ']').ToUpperInvariant(), port)))
        {
            foreach (var address in addresses)
            {
                if (IsInternal(address))
                {
                    throw new DisallowedEndpointException(
                        $"The connection to {host}:{port} ({address}) was refused: it is a loopback, link-local, private or otherwise internal address. " +
                        "Allow the endpoint in HttpEndpointGuardOptions.AllowedPrivateEndpoints if it is meant to be reached.");
                }
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Only the addresses checked above are dialled: a second DNS answer cannot swap in another.
            await socket.ConnectAsync(addresses, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static (string Host, int Port) Parse(string endpoint)
    {
        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            return (uri.Host.Trim('[', ']').ToUpperInvariant(), uri.Port);
        }

        var colon = endpoint.LastIndexOf(':');
        return (endpoint[..colon].Trim('[', ']').ToUpperInvariant(), int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Whether an allowed-endpoint entry can be read.</summary>
    /// <param name="endpoint">The entry.</param>
    /// <returns>Whether it names a host and a port.</returns>
    public static bool IsValidEndpoint(string endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return false;
        }

        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            return true;
        }

        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;
    }
}
