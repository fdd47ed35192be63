using System.Runtime.Versioning;

// AF_UNIX SOCK_SEQPACKET, SO_PEERCRED, statx, fchown: this server is Linux-only by design (SPEC TRANS-1).
[assembly: SupportedOSPlatform("linux")]
