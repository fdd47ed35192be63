using System.Runtime.Versioning;

// AF_UNIX SOCK_SEQPACKET and SO_PEERCRED are Linux facts.
[assembly: SupportedOSPlatform("linux")]
