namespace ConfUpdate.Server.Hosting;

/// <summary>
/// Makes .NET's socket engine run socket continuations inline on its epoll thread instead of handing
/// each one to the thread pool. Measured (issue 10, client and server pinned to one CPU): the hand-off
/// cost a HELLO two futex calls, one extra context switch and about a third of the server's CPU time
/// per request. .NET reads the switch once, from the environment, when the engine starts (first
/// asynchronous socket operation; <c>SocketAsyncEngine.Unix.cs</c>), so it is set before any socket exists.
/// The price is that nothing on a connection's path may block: see <see cref="Connections.PooledReceive"/>.
/// Validators do not inherit it: they get a cleared environment (TGT-4).
/// </summary>
internal static class SocketEngine
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets the switch unless the environment already says otherwise (an operator can set it to 0).</summary>
    public static void UseInlineCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
