namespace ConfUpdate.Native;

/// <summary>The fields of a <c>struct passwd</c> the solution uses.</summary>
/// <param name="Name">The login name.</param>
/// <param name="Uid">The user id.</param>
/// <param name="Gid">The primary group id.</param>
/// <param name="HomeDirectory">The home directory (<c>/</c> when the entry has none).</param>
public sealed record PasswdEntry(string Name, uint Uid, uint Gid, string HomeDirectory);
