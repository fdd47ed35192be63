namespace ConfUpdate.Server.Targets;

/// <summary>The target path is a symbolic link or not a regular file; it must be left alone (SPEC TGT-5).</summary>
internal sealed class UnsafeTargetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnsafeTargetException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public UnsafeTargetException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with a default message.</summary>
    public UnsafeTargetException() : base("The target path is not a regular file.") { }
}
