using ConfUpdate.Native;

namespace ConfUpdate.Server.Targets;

/// <summary>
/// Group commit for DUR-1 step 6: one directory <c>fsync</c> makes every rename done in that directory
/// before it began durable, so concurrent installs into one directory share syncs instead of queueing
/// one each. An install calls <see cref="SyncAfterRename"/> after its own rename; it returns only once a
/// sync that <em>started after that rename</em> has completed, so each OK still follows its own content
/// being durable (DUR-1). While a sync is running, later renames wait for it and the next sync covers
/// all of them. A failed sync covers nobody: each waiter then tries its own. Each install syncs through
/// its own checked directory descriptor (SPEC TGT-6); a sync covers only renames into the same directory
/// inode, so a directory replaced between two requests never lends its sync to the other one. (The
/// second constructor takes the sync itself so that a test can record when syncs start and end relative
/// to renames.)
/// Measured (issue 10): 8 connections on 8 targets in one directory went from 0.5x to above 1x the
/// throughput of a C loop doing one directory fsync per rename.
/// </summary>
internal sealed class DirectorySync(string directory, Action<int> sync)
{
    private readonly object _gate = new();
    private long _renames;      // renames announced so far
    private long _durable;      // every rename up to this number is covered by a completed sync
    private bool _syncing;
    private FileStatus? _inode; // the directory inode this instance groups syncs for (the first one seen)

    /// <summary>A syncer that fsyncs the descriptor each install passes in.</summary>
    public DirectorySync(string directory)
        : this(directory, SyncNow)
    {
    }

    /// <summary>The directory whose entries this syncs.</summary>
    public string Directory { get; } = directory;

    /// <summary>Call after a rename into <see cref="Directory"/> has returned; returns when that rename is durable.</summary>
    /// <param name="directoryFd">The install's own descriptor of the directory it renamed into (TGT-6).</param>
    /// <exception cref="InstalledButNotSyncedException">The directory could not be synced (STAT-2).</exception>
    public void SyncAfterRename(int directoryFd)
    {
        FileStatus inode = FileStatus.OfDescriptor(directoryFd);
        long mine;
        long covering;
        bool grouped;
        lock (_gate)
        {
            _inode ??= inode;
            grouped = _inode.Value.IsSameFile(inode);
        }

        if (!grouped)
        {
            // Not the directory this instance groups for: no shared sync can cover this rename.
            sync(directoryFd);
            return;
        }

        lock (_gate)
        {
            mine = ++_renames;
            while (true)
            {
                if (_durable >= mine)
                {
                    return;
                }

                if (!_syncing)
                {
                    break;
                }

                // A sync is running, but it may have started before this rename: wait, then look again.
                Monitor.Wait(_gate);
            }

            _syncing = true;
            covering = _renames;
        }

        bool synced = false;
        try
        {
            sync(directoryFd);
            synced = true;
        }
        finally
        {
            lock (_gate)
            {
                _syncing = false;
                if (synced)
                {
                    _durable = Math.Max(_durable, covering);
                }

                Monitor.PulseAll(_gate);
            }
        }
    }

    private static void SyncNow(int directoryFd)
    {
        if (Libc.FSync(directoryFd) != 0)
        {
            throw new InstalledButNotSyncedException($"content installed, but fsync of the directory failed: {Libc.Describe("fsync", Libc.LastError)}");
        }
    }
}
