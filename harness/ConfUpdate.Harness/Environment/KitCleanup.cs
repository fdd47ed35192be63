using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ConfUpdate.Harness.Environment;

/// <summary>
/// Last-resort cleanup: every server process and temporary directory the kit creates is registered here,
/// so that Ctrl-C, SIGTERM or the process exiting mid-run still leaves no process and no temp directory behind.
/// Normal code paths clean up themselves and unregister.
/// </summary>
public static class KitCleanup
{
    private static readonly ConcurrentDictionary<long, int> s_processes = new();
    private static readonly ConcurrentDictionary<long, string> s_directories = new();
    private static readonly Lock s_installLock = new();
    private static long s_nextId;
    private static bool s_installed;
    private static PosixSignalRegistration? s_sigterm;
    private static PosixSignalRegistration? s_sigint;

    /// <summary>Registers a process whose whole tree is SIGKILLed by <see cref="KillAll"/>; dispose the result to unregister.</summary>
    public static IDisposable Register(int processId)
    {
        long id = Interlocked.Increment(ref s_nextId);
        s_processes[id] = processId;
        return new Registration(() => s_processes.TryRemove(id, out _));
    }

    /// <summary>Registers a directory that <see cref="RunAll"/> deletes; dispose the result to unregister.</summary>
    public static IDisposable RegisterDirectory(string path)
    {
        long id = Interlocked.Increment(ref s_nextId);
        s_directories[id] = path;
        return new Registration(() => s_directories.TryRemove(id, out _));
    }

    /// <summary>The processes currently registered.</summary>
    public static IReadOnlyCollection<int> RegisteredProcesses => [.. s_processes.Values];

    /// <summary>SIGKILLs every registered process tree and forgets them.</summary>
    public static void KillAll()
    {
        foreach (KeyValuePair<long, int> entry in s_processes.ToArray())
        {
            ProcessTree.KillTree(entry.Value);
            s_processes.TryRemove(entry.Key, out _);
        }
    }

    /// <summary>Kills every registered process tree, then deletes every registered directory.</summary>
    public static void RunAll()
    {
        KillAll();
        foreach (KeyValuePair<long, string> entry in s_directories.ToArray())
        {
            try
            {
                Directory.Delete(entry.Value, recursive: true);
            }
            catch (IOException)
            {
                // Best effort at exit: a directory already gone or busy is not worth failing over.
            }
            catch (UnauthorizedAccessException)
            {
                // Same: best effort.
            }

            s_directories.TryRemove(entry.Key, out _);
        }
    }

    /// <summary>
    /// Hooks <see cref="RunAll"/> to process exit, SIGINT (Ctrl-C) and SIGTERM. Idempotent. The signals are
    /// not cancelled: after cleanup the runtime's default handling terminates the kit.
    /// </summary>
    public static void InstallHandlers()
    {
        lock (s_installLock)
        {
            if (s_installed)
            {
                return;
            }

            s_installed = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();
            s_sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => RunAll());
            s_sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => RunAll());
        }
    }

    private sealed class Registration(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
