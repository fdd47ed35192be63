namespace ConfUpdate.Harness.Scenarios;

/// <summary>A target of one scenario: its configuration and what is at its path before the steps run.</summary>
public sealed record TargetSetup
{
    /// <summary>Initial content; null means no file at the path.</summary>
    public ContentSpec? Content { get; init; }

    /// <summary>Configured owner (default root).</summary>
    public string? Owner { get; init; }

    /// <summary>Configured group (default the allowed role's account).</summary>
    public string? Group { get; init; }

    /// <summary>Configured mode, octal text (default 0640).</summary>
    public string? Mode { get; init; }

    /// <summary>Owner of the initial file.</summary>
    public string? InitialOwner { get; init; }

    /// <summary>Mode of the initial file, octal text.</summary>
    public string? InitialMode { get; init; }

    /// <summary>The path is a symbolic link to a victim file holding <see cref="Content"/> (TGT-5).</summary>
    public bool Symlink { get; init; }

    /// <summary>The path is a directory (TGT-5).</summary>
    public bool Directory { get; init; }

    /// <summary>
    /// The target's directory is a symbolic link (SPEC TGT-6): the target is configured as
    /// <c>${dir}/NAME.dir/NAME</c>, where <c>NAME.dir</c> links to an empty victim directory that must stay empty.
    /// </summary>
    public bool DirectoryLink { get; init; }

    /// <summary>Configured maximum content size.</summary>
    public int? MaxSize { get; init; }

    /// <summary>A validator for the target (TGT-4).</summary>
    public ValidatorSetup? Validator { get; init; }
}

/// <summary>A target's validator: a shell script the kit writes (run as <c>/bin/sh script {file}</c>) or an argument vector.</summary>
public sealed record ValidatorSetup
{
    /// <summary>Script text; <c>$1</c> is the candidate file.</summary>
    public string? Script { get; init; }

    /// <summary>An argument vector with a <c>{file}</c> placeholder.</summary>
    public IReadOnlyList<string>? Argv { get; init; }
}
