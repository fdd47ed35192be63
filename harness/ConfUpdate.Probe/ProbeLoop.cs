using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using System.Text;
using ConfUpdate.Harness.Probe;
using ConfUpdate.Native;
using ConfUpdate.Protocol;

namespace ConfUpdate.Probe;

/// <summary>
/// Reads commands and runs them. Commands on one connection run in arrival order; commands on
/// different connections run concurrently, because one probe serves every scenario of its identity
/// and a long recv on one connection must not hold up the others.
/// </summary>
internal sealed class ProbeLoop(Stream input, Stream output)
{
    // A receive buffer one byte larger than the largest reply, so a reply that breaks the limit (FRAME-9)
    // is seen as truncated; MSG_TRUNC reports the real length of anything larger.
    private const int ReceiveBufferSize = ProtocolLimits.MaxReplySize + 1;

    private readonly Dictionary<string, Socket> _connections = [];
    private readonly Dictionary<string, Task> _tails = [];
    private readonly Lock _lock = new();
    private readonly Lock _writeLock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<int> RunAsync()
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        var running = new List<Task>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            ProbeCommand? command;
            try
            {
                command = JsonSerializer.Deserialize(line, ProbeJsonContext.Default.ProbeCommand);
            }
            catch (JsonException ex)
            {
                await WriteAsync(new ProbeResponse { Id = -1, Kind = "error", Errno = "EBADCMD", Message = ex.Message });
                continue;
            }

            if (command is null)
            {
                continue;
            }

            if (command.Cmd == "exit")
            {
                break;
            }

            running.Add(Schedule(command));
            running.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(running);
        lock (_lock)
        {
            foreach (Socket socket in _connections.Values)
            {
                socket.Dispose();
            }
        }

        return 0;
    }

    private Task Schedule(ProbeCommand command)
    {
        lock (_lock)
        {
            string key = command.Conn ?? "";
            Task previous = command.Conn is not null && _tails.TryGetValue(key, out Task? tail) ? tail : Task.CompletedTask;
            Task next = previous.ContinueWith(
                _ => Task.Run(() => ExecuteAsync(command)),
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            if (command.Conn is not null)
            {
                _tails[key] = next;
            }

            return next;
        }
    }

    private async Task ExecuteAsync(ProbeCommand command)
    {
        double start = Now;
        ProbeResponse response;
        try
        {
            response = command.Cmd switch
            {
                "connect" => Connect(command),
                "send" => Send(command),
                "recv" => Receive(command),
                "shutdown" => Shutdown(command),
                "close" => Close(command, abort: false),
                "abort" => Close(command, abort: true),
                "sleep" => await SleepAsync(command),
                _ => new ProbeResponse { Kind = "error", Errno = "EBADCMD", Message = $"Unknown command '{command.Cmd}'." },
            };
        }
        catch (SocketException ex)
        {
            response = new ProbeResponse { Kind = "error", Errno = Errno.NameOf(ex), Message = ex.Message };
        }
        catch (Exception ex) when (ex is KeyNotFoundException or ObjectDisposedException or ArgumentException or InvalidOperationException)
        {
            response = new ProbeResponse { Kind = "error", Errno = "EBADCMD", Message = ex.Message };
        }

        await WriteAsync(response with { Id = command.Id, StartMs = start, EndMs = Now });
    }

    private double Now => _clock.Elapsed.TotalMilliseconds;

    private ProbeResponse Connect(ProbeCommand command)
    {
        string name = Require(command.Conn, "conn");
        SocketType type = command.Type switch
        {
            null or "seqpacket" => SocketType.Seqpacket,
            "stream" => SocketType.Stream,
            "dgram" => SocketType.Dgram,
            _ => throw new ArgumentException($"Socket type '{command.Type}' is not seqpacket, stream or dgram."),
        };
        var socket = new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(Require(command.Path, "path")));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        lock (_lock)
        {
            if (_connections.Remove(name, out Socket? old))
            {
                old.Dispose();
            }

            _connections[name] = socket;
        }

        return new ProbeResponse { SendBuffer = socket.SendBufferSize };
    }

    private ProbeResponse Send(ProbeCommand command)
    {
        Socket socket = Get(command);
        int sent = 0;
        foreach (DatagramSpec spec in command.Datagrams ?? [])
        {
            byte[] datagram = new byte[spec.Length];
            spec.Prefix?.CopyTo(datagram, 0);
            Patterns.Fill(spec.Pattern, datagram.AsSpan(spec.Prefix?.Length ?? 0));
            try
            {
                socket.Send(datagram, SocketFlags.None);
            }
            catch (SocketException ex)
            {
                return new ProbeResponse { Kind = "error", Errno = Errno.NameOf(ex), Sent = sent, Message = ex.Message };
            }

            sent++;
        }

        return new ProbeResponse { Sent = sent };
    }

    private ProbeResponse Receive(ProbeCommand command)
    {
        Socket socket = Get(command);
        int count = Math.Max(1, command.Count);
        int timeout = command.TimeoutMs > 0 ? command.TimeoutMs : 2000;
        var received = new List<ReceivedItem>();
        var buffer = new byte[ReceiveBufferSize];
        while (received.Count < count)
        {
            try
            {
                // Poll first: a blocking receive cannot time out per call without changing socket options.
                if (!socket.Poll(TimeSpan.FromMilliseconds(timeout), SelectMode.SelectRead))
                {
                    return new ProbeResponse { Kind = "timeout", Received = received };
                }

                // SocketFlags.Truncated is MSG_TRUNC: the kernel returns the datagram's real length.
                int length = socket.Receive(buffer, SocketFlags.Truncated);
                if (length == 0)
                {
                    return new ProbeResponse { Kind = "eof", Received = received };
                }

                received.Add(new ReceivedItem
                {
                    Length = length,
                    Truncated = length > buffer.Length,
                    Bytes = buffer.AsSpan(0, Math.Min(length, buffer.Length)).ToArray(),
                    AtMs = Now,
                });
            }
            catch (SocketException ex)
            {
                return new ProbeResponse { Kind = "error", Errno = Errno.NameOf(ex), Received = received, Message = ex.Message };
            }
        }

        return new ProbeResponse { Received = received };
    }

    private ProbeResponse Shutdown(ProbeCommand command)
    {
        Socket socket = Get(command);
        socket.Shutdown(command.How switch
        {
            "read" => SocketShutdown.Receive,
            "write" => SocketShutdown.Send,
            null or "both" => SocketShutdown.Both,
            _ => throw new ArgumentException($"Shutdown direction '{command.How}' is not read, write or both."),
        });
        return new ProbeResponse();
    }

    private ProbeResponse Close(ProbeCommand command, bool abort)
    {
        string name = Require(command.Conn, "conn");
        Socket? socket;
        lock (_lock)
        {
            _connections.Remove(name, out socket);
        }

        if (socket is null)
        {
            return new ProbeResponse { Kind = "error", Errno = "EBADCMD", Message = $"No connection named '{name}'." };
        }

        if (abort)
        {
            // Close at once with whatever is still queued unread: the server sees ECONNRESET on its next send.
            socket.LingerState = new LingerOption(true, 0);
        }

        socket.Dispose();
        return new ProbeResponse();
    }

    private static async Task<ProbeResponse> SleepAsync(ProbeCommand command)
    {
        await Task.Delay(command.TimeoutMs);
        return new ProbeResponse();
    }

    private Socket Get(ProbeCommand command)
    {
        string name = Require(command.Conn, "conn");
        lock (_lock)
        {
            return _connections.TryGetValue(name, out Socket? socket)
                ? socket
                : throw new KeyNotFoundException($"No connection named '{name}'; connect it first.");
        }
    }

    private static string Require(string? value, string field) =>
        value ?? throw new ArgumentException($"The command needs '{field}'.");

    private Task WriteAsync(ProbeResponse response)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(response, ProbeJsonContext.Default.ProbeResponse);
        lock (_writeLock)
        {
            output.Write(json);
            output.WriteByte((byte)'\n');
            output.Flush();
        }

        return Task.CompletedTask;
    }
}
