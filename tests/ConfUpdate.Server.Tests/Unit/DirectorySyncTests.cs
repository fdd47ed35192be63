using ConfUpdate.Native;
using ConfUpdate.Server.Targets;

namespace ConfUpdate.Server.Tests.Unit;

/// <summary>
/// SPEC DUR-1 step 6 with group commit: a REPLACE may share a directory fsync with others, but returns only
/// after a sync that started after its own rename has completed. The sync is a recording stand-in here,
/// because the property is about ordering, which a real fsync cannot show.
/// </summary>
public sealed class DirectorySyncTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private int _directoryFd = -1;

    // SyncAfterRename reads the descriptor's inode (a sync covers one directory only), so it needs a real one.
    [SetUp]
    public void OpenDirectory()
    {
        _directoryFd = Libc.Open(Path.GetTempPath(), LinuxAbi.ORdOnly | LinuxAbi.ODirectory | LinuxAbi.OCloexec, 0);
        Assert.That(_directoryFd, Is.GreaterThanOrEqualTo(0), "open of the temp directory failed");
    }

    [TearDown]
    public void CloseDirectory() => _ = Libc.Close(_directoryFd);

    [Test, CancelAfter(30_000)]
    public void SyncAfterRename_ConcurrentRenames_EachReturnsAfterASyncStartedAfterItsRename()
    {
        // Arrange: a sync records the number of renames done when it starts and when it has finished.
        long renamesDone = 0;
        var completedSyncs = new List<long>();
        var gate = new object();
        var directorySync = new DirectorySync("/unused", _ =>
        {
            long coveredAtStart = Interlocked.Read(ref renamesDone);
            Thread.Sleep(2);
            lock (gate)
            {
                completedSyncs.Add(coveredAtStart);
            }
        });
        var violations = new List<string>();

        // Act: 8 threads x 25 "renames", each followed by the group-commit call.
        Thread[] threads = [.. Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 25; i++)
            {
                long mine = Interlocked.Increment(ref renamesDone);
                directorySync.SyncAfterRename(_directoryFd);
                lock (gate)
                {
                    if (!completedSyncs.Any(covered => covered >= mine))
                    {
                        violations.Add($"thread {t} rename {mine} returned before a sync covering it had completed");
                    }
                }
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        bool joined = threads.All(thread => thread.Join(s_timeout));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(joined, Is.True, "a thread did not finish");
            Assert.That(violations, Is.Empty);
            Assert.That(completedSyncs, Has.Count.LessThan(200), "concurrent renames should share syncs");
        });
    }

    [Test, CancelAfter(30_000)]
    public void SyncAfterRename_SyncFails_ThrowsAndTheNextCallSyncsAgain()
    {
        // Arrange
        int calls = 0;
        var directorySync = new DirectorySync("/unused", _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InstalledButNotSyncedException("fsync of the directory failed");
            }
        });

        // Act / Assert: a failed sync covers nobody.
        Assert.Throws<InstalledButNotSyncedException>(() => directorySync.SyncAfterRename(_directoryFd));
        directorySync.SyncAfterRename(_directoryFd);
        Assert.That(calls, Is.EqualTo(2));
    }
}
