using System.Net;
using System.Net.Sockets;

namespace LightS3.Tests.Support;

/// <summary>
/// An in-process loopback TCP forwarder a test can cut and restore, to partition one client from a server.
/// Cut: every live connection is dropped, and new ones are accepted but black-holed (nothing forwarded, like a
/// network that swallows packets). Restore: black-holed connections are closed and new ones are forwarded again.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _live = [];
    private readonly Task _accepting;
    private bool _cut;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every connection and black-holes new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        lock (_live)
        {
            _cut = true;
            CloseAll();
        }
    }

    /// <summary>Closes black-holed connections and forwards again.</summary>
    public void Restore()
    {
        lock (_live)
        {
            _cut = false;
            CloseAll();
        }
    }

    private void CloseAll()
    {
        foreach (var c in _live) c.Dispose();
        _live.Clear();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            bool cut;
            lock (_live)
            {
                _live.Add(client);
                cut = _cut;
            }
            if (!cut) _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            lock (_live)
            {
                if (_cut || !_live.Contains(client)) return;
                _live.Add(server);
            }
            using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = Pump(client.GetStream(), server.GetStream(), both.Token);
            var down = Pump(server.GetStream(), client.GetStream(), both.Token);
            await Task.WhenAny(up, down);
            await both.CancelAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task Pump(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, ct)) > 0) await to.WriteAsync(buffer.AsMemory(0, n), ct);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_live) CloseAll();
        await _accepting;
    }
}
