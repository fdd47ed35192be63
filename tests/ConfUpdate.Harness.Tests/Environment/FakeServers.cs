namespace ConfUpdate.Harness.Tests.Environment;

/// <summary>Tiny stand-in servers (Python, standard library) to exercise ServerProcess without the real server.</summary>
internal static class FakeServers
{
    /// <summary>Listens on argv[1] with SOCK_SEQPACKET and accepts forever; exits 0 on SIGTERM after removing its socket.</summary>
    public const string Listener = """
        import os, signal, socket, sys
        path = sys.argv[1]
        def stop(*_):
            os.unlink(path)
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        print("fake server starting", file=sys.stderr, flush=True)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.bind(path)
        s.listen(16)
        while True:
            c, _ = s.accept()
            c.close()
        """;

    /// <summary>Sends READY=1 to NOTIFY_SOCKET and then sleeps without ever listening.</summary>
    public const string NotifyOnly = """
        import os, socket, time
        n = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        n.sendto(b"STATUS=starting\nREADY=1\n", os.environ["NOTIFY_SOCKET"])
        time.sleep(600)
        """;

    /// <summary>Ignores SIGTERM and starts a grandchild that sleeps: only a tree kill stops it.</summary>
    public const string Stubborn = """
        import os, signal, socket, subprocess, sys, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        child = subprocess.Popen(["sleep", "600"])
        print(f"child={child.pid}", flush=True)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.bind(sys.argv[1])
        s.listen(16)
        time.sleep(600)
        """;

    /// <summary>Exits 0 on SIGTERM but leaves a child behind that still holds stdout (a classic leak).</summary>
    public const string LeavesChild = """
        import signal, socket, subprocess, sys, time
        child = subprocess.Popen(["sleep", "600"])
        print(f"child={child.pid}", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.bind(sys.argv[1])
        s.listen(16)
        time.sleep(600)
        """;

    /// <summary>Writes the script into <paramref name="directory"/> and returns a command template for it.</summary>
    public static string Template(string directory, string name, string script)
    {
        string path = Path.Combine(directory, name + ".py");
        File.WriteAllText(path, script);
        return $"/usr/bin/python3 '{path}' {{socket}}";
    }
}
