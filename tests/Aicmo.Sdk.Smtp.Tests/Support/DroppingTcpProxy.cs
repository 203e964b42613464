using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aicmo.Sdk.Smtp.Tests.Support;

/// <summary>
/// A TCP proxy on loopback in front of a plain SMTP server that, on its first connection, lets the client's DATA command and a few
/// bytes of the message through and then resets both sides: a connection lost in the middle of DATA. Later connections pass untouched.
/// </summary>
public sealed class DroppingTcpProxy : IAsyncDisposable
{
    private static readonly byte[] DataCommand = Encoding.ASCII.GetBytes("DATA\r\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly int _bytesAfterData;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public DroppingTcpProxy(int targetPort, int bytesAfterData = 64)
    {
        _targetPort = targetPort;
        _bytesAfterData = bytesAfterData;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Gets how many connections were dropped in the middle of DATA.</summary>
    public int Dropped { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var drop = Interlocked.Increment(ref _connections) == 1;
            _ = RelayAsync(client, drop);
        }
    }

    private async Task RelayAsync(TcpClient client, bool drop)
    {
        using var server = new TcpClient();
        using var _ = client;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            var up = ClientToServerAsync(client, server, drop);
            await Task.WhenAny(down, up);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Client.LingerState = new LingerOption(true, 0);
            server.Client.LingerState = new LingerOption(true, 0);
            client.Close();
            server.Close();
        }
    }

    private async Task ClientToServerAsync(TcpClient client, TcpClient server, bool drop)
    {
        var input = client.GetStream();
        var output = server.GetStream();
        var buffer = new byte[8192];
        var seen = new List<byte>();
        var afterData = -1;
        while (true)
        {
            var read = await input.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            if (!drop)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                continue;
            }

            for (var i = 0; i < read; i++)
            {
                if (afterData >= 0)
                {
                    if (afterData == _bytesAfterData)
                    {
                        Dropped++;
                        return; // the finally block resets both connections
                    }

                    afterData++;
                }
                else
                {
                    seen.Add(buffer[i]);
                    if (seen.Count >= DataCommand.Length && System.Runtime.InteropServices.CollectionsMarshal.AsSpan(seen)[^DataCommand.Length..].SequenceEqual(DataCommand))
                    {
                        afterData = 0;
                    }
                }

                await output.WriteAsync(buffer.AsMemory(i, 1), _stop.Token);
            }
        }
    }
}
