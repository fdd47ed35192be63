namespace ConfUpdate.Server.Hosting;

/// <summary>The <c>--help</c> text: sources, keys, defaults and an example (SPEC CONF-1).</summary>
internal static class Usage
{
    /// <summary>The full usage text.</summary>
    public const string Text = """
        confupdate-server - the reference ConfUpdate update server (AF_UNIX SOCK_SEQPACKET, SPEC v1)

        Usage:
          confupdate-server [--config <file.json>] [--ConfUpdate:<Key>=<value> ...]
          confupdate-server --help | --version

        Configuration sources, later ones win:
          /etc/confupdate/confupdate.json      optional; not read when --config is given
          --config <file.json>                 a SPEC CONF-1 file (section "ConfUpdate"); must exist
          CONFUPDATE_<Key> environment         e.g. CONFUPDATE_ConfUpdate__Socket__Path=/run/x.sock
          --ConfUpdate:<Key>=<value>           e.g. --ConfUpdate:Limits:IdleTimeoutSeconds=5

        Keys (under "ConfUpdate"; names are case-insensitive; any other key, or any other option, is an error):
          ServerName                     "confupdate-reference"   announced in HELLO
          MaxRequestSize                 65536    largest request datagram M (>= 2048)
          Socket:Path                    /run/confupdate/confupdate.sock
          Socket:Owner / Socket:Group    the server's user / group (name or numeric id)
          Socket:Mode                    "0660"   octal
          Allow:Users / Allow:Groups     []       names (or numeric ids), resolved once at start
          Allow:Uids                     []       numeric uids
          Limits:IdleTimeoutSeconds      30
          Limits:MaxConnections          64
          Limits:MaxConnectionsPerUid    8
          Limits:ShutdownGraceSeconds    10
          Limits:ValidatorTimeoutSeconds 10
          Targets:N:Name                 required, 1..255 bytes, unique, exact match
          Targets:N:Path                 required, absolute; its directory must exist
          Targets:N:Owner / Group        the server's user / group
          Targets:N:Mode                 "0640"
          Targets:N:MaxSize              M - 297 (fits M with a 255-byte name and an expected version)
          Targets:N:Validator            none; argv with a {file} placeholder, e.g. ["/usr/sbin/visudo", "-cf", "{file}"]

        uid 0 and 65534 are admitted only when listed explicitly (Allow:Users or Allow:Uids).

        Example (/etc/confupdate/confupdate.json):
          {
            "ConfUpdate": {
              "Socket": { "Path": "/run/confupdate/confupdate.sock", "Owner": "root", "Group": "www-data", "Mode": "0660" },
              "Allow": { "Users": ["www-data"] },
              "Targets": [ { "Name": "site", "Path": "/etc/app/site.conf", "Group": "www-data", "Mode": "0640" } ]
            }
          }

        Exit status: 0 after SIGTERM/SIGINT (and after --help, --version), 2 usage or configuration error
        (nothing listened), 1 other start-up failure.
        Socket activation (LISTEN_FDS=1) and sd_notify READY=1 (NOTIFY_SOCKET) are supported.

        """;
}
