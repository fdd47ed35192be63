namespace ConfUpdate.Native;

/// <summary>What kind of file a path or descriptor names (the <c>S_IFMT</c> bits).</summary>
public enum FileKind
{
    /// <summary>Nothing exists at the path.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (only seen when links are not followed).</summary>
    SymbolicLink,

    /// <summary>A socket.</summary>
    Socket,

    /// <summary>A FIFO (named pipe).</summary>
    Fifo,

    /// <summary>A character device.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>Some other type.</summary>
    Other,
}
