// The bench is Linux-only by design, like the kit: AF_UNIX SOCK_SEQPACKET, SO_PEERCRED, setpriv.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
