using ConfUpdate.Native;
using ConfUpdate.Protocol;
using ConfUpdate.Server.Configuration;
using ConfUpdate.Server.Hosting;
using ConfUpdate.Server.Targets;
using Microsoft.Extensions.Logging;

namespace ConfUpdate.Server.Connections;

/// <summary>
/// Carries out one decoded request and builds its reply (SPEC OP-1..OP-4). Takes no cancellation
/// token on purpose: once a request has been received it is finished whether or not the client is
/// still there (SPEC DUR-5). Never throws: an unexpected failure becomes INTERNAL_ERROR.
/// </summary>
internal sealed partial class RequestProcessor(ServerConfig config, TargetRegistry targets, ServerIdentity identity, ILogger<RequestProcessor> logger)
{
    // The HELLO body depends only on configuration and build, both fixed for the process: encode it once.
    // TGT-6 trusts directories owned by root or by the user the server runs as.
    private readonly uint _serverUid = Libc.GetEUid();

    private readonly byte[] _helloBody =
        new HelloInfo(ProtocolLimits.Version, (uint)config.MaxRequestSize, config.ServerName, identity.Version).Encode();

    /// <summary>Processes the request and returns its reply.</summary>
    public async Task<Reply> ProcessAsync(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            TargetOutcome outcome = request switch
            {
                HelloRequest => Hello(),
                GetVersionRequest get => GetVersion(get),
                ReplaceRequest replace => await ReplaceAsync(replace).ConfigureAwait(false),
                _ => TargetOutcome.Fail(Status.UnknownOperation, $"opcode {request.Opcode} is not handled"),
            };
            return new Reply(request.Opcode, outcome.Status, request.RequestId, outcome.Detail, outcome.Body);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnexpected(logger, request.Opcode.ToString(), ex);
            return Reply.Failure(request.Opcode, Status.InternalError, request.RequestId, "internal error");
        }
    }

    private TargetOutcome Hello() => new(Status.Ok, string.Empty, _helloBody);

    private TargetOutcome GetVersion(GetVersionRequest request)
    {
        if (!targets.TryGet(request.Target, out TargetConfig target, out _))
        {
            return UnknownTarget();
        }

        return Guard(target, () =>
        {
            using TargetDirectory directory = OpenDirectory(target);
            return new TargetOutcome(Status.Ok, string.Empty, TargetReader.ReadVersion(directory, FileName(target)).Encode());
        });
    }

    private async Task<TargetOutcome> ReplaceAsync(ReplaceRequest request)
    {
        if (!targets.TryGet(request.Target, out TargetConfig target, out SemaphoreSlim gate, out DirectorySync directorySync))
        {
            return UnknownTarget();
        }

        if (request.Content.Length > target.MaxSize)
        {
            return TargetOutcome.Fail(Status.TooLarge, $"content is {request.Content.Length} bytes; this target accepts at most {target.MaxSize}");
        }

        // Not cancellable: DUR-5 (a vanished client does not abort an update half-way).
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // TGT-6: one checked directory descriptor for the comparison and every step of the install.
            using TargetDirectory directory = OpenDirectory(target);
            if (request.ExpectedVersion is { } expected)
            {
                // OP-4: compare and install under the same lock, so two clients expecting v cannot both win.
                TargetVersion current = TargetReader.ReadVersion(directory, FileName(target));
                if (!current.Version.Equals(expected))
                {
                    return TargetOutcome.Fail(Status.Conflict, $"current version is {current.Version}, not the expected {expected}");
                }
            }

            return await TargetInstaller.InstallAsync(target, directory, directorySync, request.Content, config.Limits.ValidatorTimeout).ConfigureAwait(false);
        }
        catch (UnsafeTargetException ex)
        {
            return TargetOutcome.Fail(Status.UnsafeTarget, ex.Message);
        }
        catch (IOException ex)
        {
            LogInstallFailed(logger, target.Name, ex.Message);
            return TargetOutcome.Fail(Status.InternalError, ex.Message);
        }
        finally
        {
            gate.Release();
        }
    }

    private TargetOutcome Guard(TargetConfig target, Func<TargetOutcome> action)
    {
        try
        {
            return action();
        }
        catch (UnsafeTargetException ex)
        {
            return TargetOutcome.Fail(Status.UnsafeTarget, ex.Message);
        }
        catch (IOException ex)
        {
            LogReadFailed(logger, target.Name, ex.Message);
            return TargetOutcome.Fail(Status.InternalError, $"reading the target failed: {ex.Message}");
        }
    }

    private TargetDirectory OpenDirectory(TargetConfig target) => TargetDirectory.Open(Path.GetDirectoryName(target.Path)!, _serverUid);

    private static string FileName(TargetConfig target) => Path.GetFileName(target.Path);

    private static TargetOutcome UnknownTarget() => TargetOutcome.Fail(Status.UnknownTarget, "no target of that name is configured");

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "unexpected failure handling a {Op} request")]
    private static partial void LogUnexpected(ILogger logger, string op, Exception exception);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "install of target {Target} failed; target left unchanged: {Reason}")]
    private static partial void LogInstallFailed(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "reading target {Target} failed: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string target, string reason);
}
