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
                // Answer with the line's id when it has one, so the kit's wait for it ends with the error.
                await WriteAsync(new ProbeResponse { Id = IdOf(line), KitError = $"not a command: {ex.Message}" });
                continue;
            }

            if (command is null)
            {
                continue;
            }

            if (command is ExitCommand)
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

    private static int IdOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("id", out JsonElement id) && id.TryGetInt32(out int value) ? value : -1;
        }
        catch (JsonException)
        {
            return -1;
        }
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
        ProbeResponse response;
        try
        {
            response = command switch
            {
                ConnectCommand connect => Connect(connect),
                SendCommand send => Send(Get(send), send.Datagrams),
                ReceiveCommand receive => Receive(Get(receive), receive.Count, receive.TimeoutMs),
                ExchangeCommand exchange => Exchange(exchange),
                ShutdownCommand shutdown => Shutdown(shutdown),
                CloseCommand close => Close(close),
                _ => new ProbeResponse { KitError = $"the probe has no case for {command.GetType().Name}" },
            };
        }
        catch (SocketException ex)
        {
            response = Failed(ex);
        }
        catch (UnknownConnectionException ex)
        {
            response = new ProbeResponse { KitError = ex.Message };
        }

        await WriteAsync(response with { Id = command.Id });
    }

    private ProbeResponse Connect(ConnectCommand command)
    {
        string name = Require(command.Conn);
        SocketType type = command.Type switch
        {
            SocketKind.Stream => SocketType.Stream,
            SocketKind.Dgram => SocketType.Dgram,
            _ => SocketType.Seqpacket,
        };
        var socket = new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(command.Path));
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

        // Datagrams for connect-and-send go out now, before the kit hears that the connection exists.
        ProbeResponse sent = command.Datagrams.Count > 0 ? Send(socket, command.Datagrams) : new ProbeResponse();
        return sent with { SendBuffer = socket.SendBufferSize };
    }

    private static ProbeResponse Send(Socket socket, IReadOnlyList<ProbeDatagram> datagrams)
    {
        int sent = 0;
        foreach (ProbeDatagram spec in datagrams)
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
                return new ProbeResponse { Sent = sent, SendErrno = Errno.NameOf(ex) };
            }

            sent++;
        }

        return new ProbeResponse { Sent = sent };
    }

    private ProbeResponse Exchange(ExchangeCommand command)
    {
        Socket socket = Get(command);
        ProbeResponse sent = Send(socket, command.Datagrams);
        if (sent.SendErrno is not null && command.Datagrams.Count == 1)
        {
            // The one request did not go out: there is no reply to wait for.
            return sent;
        }

        return Receive(socket, command.Count, command.TimeoutMs) with { Sent = sent.Sent, SendErrno = sent.SendErrno };
    }

    private static ProbeResponse Receive(Socket socket, int count, int timeoutMs)
    {
        var received = new List<ReceivedItem>();
        var buffer = new byte[ReceiveBufferSize];
        while (received.Count < Math.Max(1, count))
        {
            try
            {
                // Poll first: a blocking receive cannot time out per call without changing socket options.
                if (!socket.Poll(TimeSpan.FromMilliseconds(timeoutMs), SelectMode.SelectRead))
                {
                    return new ProbeResponse { Outcome = ProbeOutcome.Timeout, Received = received };
                }

                // SocketFlags.Truncated is MSG_TRUNC: the kernel returns the datagram's real length.
                int length = socket.Receive(buffer, SocketFlags.Truncated);
                if (length == 0)
                {
                    return new ProbeResponse { Outcome = ProbeOutcome.Eof, Received = received };
                }

                received.Add(new ReceivedItem
                {
                    Length = length,
                    Truncated = length > buffer.Length,
                    Bytes = buffer.AsSpan(0, Math.Min(length, buffer.Length)).ToArray(),
                });
            }
            catch (SocketException ex)
            {
                return Failed(ex) with { Received = received };
            }
        }

        return new ProbeResponse { Received = received };
    }

    private ProbeResponse Shutdown(ShutdownCommand command)
    {
        Get(command).Shutdown(command.How switch
        {
            ShutdownHow.Read => SocketShutdown.Receive,
            ShutdownHow.Write => SocketShutdown.Send,
            _ => SocketShutdown.Both,
        });
        return new ProbeResponse();
    }

    private ProbeResponse Close(CloseCommand command)
    {
        string name = Require(command.Conn);
        Socket? socket;
        lock (_lock)
        {
            _connections.Remove(name, out socket);
        }

        if (socket is null)
        {
            throw new UnknownConnectionException(name);
        }

        if (command.Abort)
        {
            // Close at once with whatever is still queued unread: the server sees ECONNRESET on its next send.
            socket.LingerState = new LingerOption(true, 0);
        }

        socket.Dispose();
        return new ProbeResponse();
    }

    private static ProbeResponse Failed(SocketException ex) => new() { Outcome = ProbeOutcome.Error, Errno = Errno.NameOf(ex) };

    private Socket Get(ProbeCommand command)
    {
        string name = Require(command.Conn);
        lock (_lock)
        {
            return _connections.TryGetValue(name, out Socket? socket) ? socket : throw new UnknownConnectionException(name);
        }
    }

    private static string Require(string? conn) =>
        conn ?? throw new UnknownConnectionException("(none)");

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

    /// <summary>A command named a connection this probe does not have: a fault of the kit.</summary>
    private sealed class UnknownConnectionException(string name) : Exception($"no connection named '{name}'; connect it first.");
}
