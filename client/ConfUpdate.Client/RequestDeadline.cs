namespace ConfUpdate.Client;

/// <summary>The caller's token linked with a timeout, remembering which of the two fired.</summary>
internal sealed class RequestDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _callerToken;

    public RequestDeadline(TimeSpan timeout, CancellationToken callerToken)
    {
        _callerToken = callerToken;
        _source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _source.CancelAfter(timeout);
        }
    }

    /// <summary>Cancelled when the caller cancels or the timeout expires.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The timeout fired, not the caller.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_callerToken.IsCancellationRequested;

    public void Dispose() => _source.Dispose();
}
