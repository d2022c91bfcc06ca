using System.Net;
using System.Net.Sockets;

namespace LightS3.Tests.Webhooks;

/// <summary>
/// A webhook receiver that never answers: it accepts each connection, reads the request, and holds the connection open
/// without a byte of response until disposed — the receiver that hangs.
/// </summary>
public sealed class HungReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBagOfClients _clients = new();
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    private HungReceiver()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public static HungReceiver Start() => new();

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";

    /// <summary>Requests received (and never answered).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes when the first request has arrived.</summary>
    public Task FirstRequest => _firstRequest.Task;

    /// <summary>Connections still open: the senders are still waiting for an answer.</summary>
    public int OpenConnections => _clients.Open;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _clients.Add(client);
                _ = HoldAsync(client);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task HoldAsync(TcpClient client)
    {
        var buffer = new byte[8192];
        var counted = false;
        try
        {
            var stream = client.GetStream();
            while (await stream.ReadAsync(buffer, _stop.Token) > 0)
            {
                if (counted) continue;
                counted = true;
                Interlocked.Increment(ref _requests);
                _firstRequest.TrySetResult();
            }
        }
        catch (Exception)
        {
            // stopped, or the sender gave up
        }
        finally
        {
            _clients.Close(client);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _clients.CloseAll();
        _stop.Dispose();
    }

    /// <summary>The open connections.</summary>
    private sealed class ConcurrentBagOfClients
    {
        private readonly HashSet<TcpClient> _open = [];

        public int Open
        {
            get { lock (_open) return _open.Count; }
        }

        public void Add(TcpClient c) { lock (_open) _open.Add(c); }

        public void Close(TcpClient c)
        {
            lock (_open) _open.Remove(c);
            c.Dispose();
        }

        public void CloseAll()
        {
            lock (_open)
            {
                foreach (var c in _open) c.Dispose();
                _open.Clear();
            }
        }
    }
}
