namespace ConfUpdate.Harness.Environment;

/// <summary>
/// The machine cannot run the kit as configured: an account is missing, users cannot be switched, or a
/// staged binary is not executable by an account. The kit exits with code 2 (usage or environment error);
/// the message says what is missing and what to do about it.
/// </summary>
public sealed class KitEnvironmentException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and what to do.</summary>
    public KitEnvironmentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that revealed the problem.</summary>
    public KitEnvironmentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message (prefer the overloads that say what to do).</summary>
    public KitEnvironmentException()
        : base("The environment cannot run the conformance kit.")
    {
    }
}
