using System.Runtime.Versioning;

// The client speaks AF_UNIX SOCK_SEQPACKET and the tests switch users with setpriv: Linux only.
[assembly: SupportedOSPlatform("linux")]
