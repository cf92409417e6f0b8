using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A stand-in Hikvision device on loopback for the real nmap to scan: two HTTP ports answering as Hikvision firmware does
/// (<c>Server: App-webs/</c>, the camera's web server, and <c>Server: DNVRS-Webs</c>, the NVR firmware's) and an RTSP
/// port answering OPTIONS with its methods. Raw sockets rather than Kestrel, because Kestrel writes its own Server header
/// and nmap must see exactly the bytes a device sends. Every connection gets one answer to the first bytes it sends and is
/// closed; a connection that sends nothing (nmap's NULL probe waits for a banner) is closed when the peer gives up.
/// </summary>
internal sealed class LoopbackCamera : IAsyncDisposable
{
    private readonly TcpListener[] _listeners;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    private LoopbackCamera()
    {
        _listeners = [Listen(), Listen(), Listen()];
        _loops.Add(Serve(_listeners[0], Http("App-webs/")));
        _loops.Add(Serve(_listeners[1], Http("DNVRS-Webs")));
        _loops.Add(Serve(_listeners[2], Rtsp));
    }

    /// <summary>The camera web server's port (<c>Server: App-webs/</c>).</summary>
    public int CameraHttpPort => Port(0);

    /// <summary>The NVR web server's port (<c>Server: DNVRS-Webs</c>).</summary>
    public int NvrHttpPort => Port(1);

    /// <summary>The RTSP port.</summary>
    public int RtspPort => Port(2);

    public static LoopbackCamera Start() => new();

    private int Port(int i) => ((IPEndPoint)_listeners[i].LocalEndpoint).Port;

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    // The form nmap-service-probes matches for Hikvision firmware (HTTP/1.0, Date before Server; for the NVR the ETag,
    // length, type, Connection and Last-Modified headers in that order); anything that is not an HTTP request gets 400,
    // as the firmware answers, so that nmap's non-HTTP probes do not make it an unknown service.
    private static Func<string, string> Http(string server) => request =>
    {
        const string body = "<!DOCTYPE html><html><head><title>Login</title></head><body></body></html>";
        if (!(request.StartsWith("GET ", StringComparison.Ordinal) || request.StartsWith("HEAD ", StringComparison.Ordinal) || request.StartsWith("OPTIONS ", StringComparison.Ordinal) || request.StartsWith("POST ", StringComparison.Ordinal)))
        {
            return $"HTTP/1.0 400 Bad Request\r\nServer: {server}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        }

        return $"HTTP/1.0 200 OK\r\nDate: Tue, 01 Dec 2026 12:00:00 GMT\r\nServer: {server}\r\nETag: \"5c-4e-6b0eed72\"\r\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\r\n" +
            $"Content-Type: text/html\r\nConnection: close\r\nLast-Modified: Tue, 01 Dec 2026 12:00:00 GMT\r\n\r\n{(request.StartsWith("HEAD", StringComparison.Ordinal) ? "" : body)}";
    };

    private static string Rtsp(string request)
    {
        var cseq = request.Split("\r\n").FirstOrDefault(l => l.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase))?[5..].Trim() ?? "1";
        return $"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nPublic: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\nDate:  Tue, Dec 01 2026 12:00:00 GMT\r\n\r\n";
    }

    private Task Serve(TcpListener listener, Func<string, string> answer) => Task.Run(async () =>
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                        timeout.CancelAfter(TimeSpan.FromSeconds(30));
                        var stream = client.GetStream();
                        var buffer = new byte[8192];
                        // Answer the first bytes that arrive: nmap's binary probes never end with a blank line, and
                        // a device that waited for one would make every probe time out.
                        var read = await stream.ReadAsync(buffer, timeout.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer(Encoding.Latin1.GetString(buffer, 0, read))), timeout.Token);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                    {
                        // The scanner hung up or the test ended: nothing to answer.
                    }
                }
            }, CancellationToken.None);
        }
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
