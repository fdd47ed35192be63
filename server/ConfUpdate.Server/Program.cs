using System.Runtime.InteropServices;
using ConfUpdate.Native;
using ConfUpdate.Server.Audit;
using ConfUpdate.Server.Configuration;
using ConfUpdate.Server.Connections;
using ConfUpdate.Server.Hosting;
using ConfUpdate.Server.Native;
using ConfUpdate.Server.Targets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Logging;

namespace ConfUpdate.Server;

/// <summary>Entry point: configuration, validation, listener, host.</summary>
internal static class Program
{
    private const string Name = "confupdate-server";
    private const int ExitConfigError = 2;
    private const int ExitStartupFailure = 1;

    private static async Task<int> Main(string[] args)
    {
        ServerArguments arguments;
        try
        {
            arguments = ServerArguments.Parse(args);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"{Name}: {ex.Message} (see {Name} --help)").ConfigureAwait(false);
            return ExitConfigError;
        }

        if (arguments.Help)
        {
            Console.Out.Write(Usage.Text);
            return 0;
        }

        if (arguments.Version)
        {
            Console.Out.WriteLine($"{Name} {ServerIdentity.Current.Version}");
            return 0;
        }

        SocketEngine.UseInlineCompletions();
        ServerListener? listener = null;
        // The host installs its SIGTERM/SIGINT handlers only when it starts, some time after listen():
        // a signal in that window would kill the process by default and leave the socket file behind
        // (SPEC LIFE-1). Handle both from the start and turn them into a graceful stop.
        using var stopRequested = new CancellationTokenSource();
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => RequestStop(context, stopRequested));
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => RequestStop(context, stopRequested));
        try
        {
            HostApplicationBuilder builder = CreateBuilder(args, arguments.ConfigFile);
            ConfigSources.RequireOnlySection(builder.Configuration);
            ServerConfig config = ConfigReader.Read(builder.Configuration.GetSection(ConfigDefaults.Section), Libc.GetEUid(), Libc.GetEGid());
            // CONF-2/TRANS-3 problems surface here, before anything listens.
            listener = ServerListener.Open(config.Socket);
            RedirectStandardInputToDevNull();
            InheritedDescriptors.MarkCloseOnExec();
            Register(builder, config, listener);
            using IHost host = builder.Build();
            await host.RunAsync(stopRequested.Token).ConfigureAwait(false);
            return Environment.ExitCode;
        }
        catch (OperationCanceledException) when (stopRequested.IsCancellationRequested)
        {
            // Stopped before the host finished starting: nothing was in flight; the finally removes the socket.
            return Environment.ExitCode;
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync($"{Name}: configuration error: {ex.Message}").ConfigureAwait(false);
            return ExitConfigError;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"{Name}: start-up failed: {ex}").ConfigureAwait(false);
            return ExitStartupFailure;
        }
        finally
        {
            listener?.Dispose();
        }
    }

    private static void RequestStop(PosixSignalContext context, CancellationTokenSource stopRequested)
    {
        context.Cancel = true;
        try
        {
            stopRequested.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Main is already returning.
        }
    }

    /// <summary>
    /// The host's standard sources in a fixed order, but no appsettings.json from the working
    /// directory: a root service must not read configuration from wherever it was started.
    /// </summary>
    private static HostApplicationBuilder CreateBuilder(string[] args, string? configFile)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = Name,
        });
        // --config replaces the system file rather than layering over it: a server started with a file of its own
        // (the kit's, SPEC PROF-1) must not also serve the targets and users of whatever is deployed on the machine.
        if (configFile is null)
        {
            builder.Configuration.AddJsonFile(ConfigDefaults.SystemConfigFile, optional: true, reloadOnChange: false);
        }
        else if (configFile is { } file)
        {
            string full = Path.GetFullPath(file);
            if (!File.Exists(full))
            {
                throw new ConfigException("--config", file, "file not found");
            }

            try
            {
                builder.Configuration.AddJsonFile(full, optional: false, reloadOnChange: false);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
            {
                throw new ConfigException("--config", file, $"cannot read the JSON: {ex.GetBaseException().Message}", ex);
            }
        }

        builder.Configuration.AddEnvironmentVariables("CONFUPDATE_");
        builder.Configuration.AddCommandLine(args);
        return builder;
    }

    private static void Register(HostApplicationBuilder builder, ServerConfig config, ServerListener listener)
    {
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
            options.ColorBehavior = LoggerColorBehavior.Default;
        });
        // Everything to stderr (stdout stays clean; AUDIT-1 says standard error).
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        // Under systemd: journal-friendly format and lifetime (no-op elsewhere).
        builder.Services.AddSystemd();
        // The host must wait for the grace period plus cleanup before it gives up on StopAsync.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = config.Limits.ShutdownGrace + TimeSpan.FromSeconds(3));

        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(listener);
        builder.Services.AddSingleton(ServerIdentity.Current);
        builder.Services.AddSingleton(new TargetRegistry(config.Targets));
        builder.Services.AddSingleton(new ConnectionLimiter(config.Limits.MaxConnections, config.Limits.MaxConnectionsPerUid));
        builder.Services.AddSingleton(new AuditLog(AuditSink.StandardError()));
        builder.Services.AddSingleton<RequestProcessor>();
        builder.Services.AddSingleton<PeerAdmission>();
        builder.Services.AddHostedService<AcceptLoopService>();
    }

    /// <summary>
    /// The server never reads standard input; pointing fd 0 at /dev/null makes every validator start
    /// with stdin from /dev/null, as SPEC TGT-4 asks (System.Diagnostics.Process has no such option).
    /// </summary>
    private static void RedirectStandardInputToDevNull()
    {
        int fd = Libc.Open("/dev/null", LinuxAbi.ORdOnly | LinuxAbi.OCloexec, 0);
        if (fd < 0)
        {
            throw new IOException(Libc.Describe("open(/dev/null)", Libc.LastError));
        }

        try
        {
            if (Libc.Dup2(fd, 0) < 0)
            {
                throw new IOException(Libc.Describe("dup2(/dev/null, 0)", Libc.LastError));
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }
}
