#!/usr/bin/env python3
"""ConfUpdate protocol version 1: an example update server in Python (standard library only).

It is built from docs/SPEC.md alone; comments cite the requirement (``SPEC AUTH-3``) that is the
reason for a piece of code. It runs as root, listens on an AF_UNIX SOCK_SEQPACKET socket, learns
who connected from the kernel (SO_PEERCRED, SO_PEERGROUPS) and replaces configured files
atomically and durably on behalf of allowed peers.

Usage:  python3 confupdate_server.py --config /etc/confupdate.json        (SPEC PROF-1)

Design: the main thread accepts connections and decides admission; one thread per admitted
connection handles its requests one at a time (SPEC FRAME-2). State shared between threads is the
connection table, the per-target locks and the audit log, each guarded by its own lock.
"""

from __future__ import annotations

import argparse
import ctypes
import difflib
import enum
import errno
import grp
import hashlib
import json
import os
import pwd
import secrets
import select
import signal
import socket
import stat
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

SERVER_NAME = "confupdate-python-example"
SERVER_VERSION = "1.0"

# --------------------------------------------------------------------------------------------
# Kernel facts, named once.
# --------------------------------------------------------------------------------------------

# SO_PEERCRED is 17 in asm-generic/socket.h (x86-64, ARM64, RISC-V, ...) but 21 on PowerPC;
# Python's socket module knows the right value for the machine it was built on.  (SPEC AUTH-2)
SO_PEERCRED = socket.SO_PEERCRED
# SO_PEERGROUPS (Linux 4.13+) is 59 in asm-generic/socket.h and on PowerPC; Python 3.11 does not
# export it.  SPARC and PA-RISC use other numbers: this fallback is for asm-generic machines only.
SO_PEERGROUPS = getattr(socket, "SO_PEERGROUPS", 59)
# struct ucred { int32 pid; uint32 uid; uint32 gid; }: 12 bytes in host order on every Linux
# architecture.  '=' means native byte order, standard sizes, no padding.  (SPEC AUTH-2)
UCRED = struct.Struct("=iII")
# SO_PEERGROUPS returns an array of gid_t (uint32, host order).
GID_SIZE = 4
# Python's socket.getsockopt() refuses buffers over 1024 bytes (256 groups); a peer in more
# groups makes the kernel answer ERANGE, and we then ask libc directly with room for NGROUPS_MAX.
PY_GETSOCKOPT_MAX = 1024
NGROUPS_MAX = 65536
# The kernel's overflow uid/gid: "an unmapped user" seen across user namespaces.  (SPEC AUTH-5)
OVERFLOW_ID = 65534
ROOT_UID = 0
# Listen backlog: connections queued by the kernel before accept().
LISTEN_BACKLOG = 64
# First file descriptor passed by a socket activator (sd_listen_fds).  (SPEC TRANS-5)
SD_LISTEN_FDS_START = 3
# The listener's type: message boundaries and peer credentials.  (SPEC TRANS-1)
LISTEN_SOCKET_TYPE = socket.SOCK_SEQPACKET

# --------------------------------------------------------------------------------------------
# Wire format (SPEC FRAME-3, OP-1..3, STAT-1).
# --------------------------------------------------------------------------------------------

PROTOCOL_VERSION = 1
REQUEST_HEADER = struct.Struct(">BBHI")  # version, opcode, flags, request id
REPLY_HEADER = struct.Struct(">BBBBIH")  # version, opcode, status, reserved, request id, detail length
REPLY_BIT = 0x80
OP_HELLO = 0x01
OP_REPLACE = 0x02
OP_GET_VERSION = 0x03
OP_NAMES = {OP_HELLO: "HELLO", OP_REPLACE: "REPLACE", OP_GET_VERSION: "GET_VERSION"}
OPTION_EXPECTED_VERSION = 0x01
VERSION_SIZE = 32  # SHA-256
ABSENT_VERSION = bytes(VERSION_SIZE)
MAX_NAME_BYTES = 255
MAX_DETAIL_BYTES = 1024  # SPEC FRAME-3
MAX_REPLY_BYTES = 2048  # SPEC FRAME-9
MIN_MAX_REQUEST_SIZE = 2048  # SPEC FRAME-4
DEFAULT_MAX_REQUEST_SIZE = 65536
# This example refuses larger M: every connection holds a receive buffer of M + 1 bytes.
LIMIT_MAX_REQUEST_SIZE = 16 * 1024 * 1024
# Header, name length, longest name, options, expected version: the largest REPLACE overhead.
MAX_REPLACE_OVERHEAD = REQUEST_HEADER.size + 1 + MAX_NAME_BYTES + 1 + VERSION_SIZE
VALIDATOR_OUTPUT_BYTES = 512  # SPEC TGT-4


class Status(enum.IntEnum):
    """Reply statuses; the values never change.  (SPEC STAT-1)"""

    OK = 0
    FORBIDDEN = 1
    BAD_REQUEST = 2
    UNSUPPORTED_VERSION = 3
    UNKNOWN_OPERATION = 4
    TOO_LARGE = 5
    UNKNOWN_TARGET = 6
    VALIDATION_FAILED = 7
    CONFLICT = 8
    BUSY = 9
    INTERNAL_ERROR = 10
    UNSAFE_TARGET = 11
    SHUTTING_DOWN = 12


def truncate_utf8(text: str, limit: int) -> bytes:
    """Encode text as UTF-8 and cut it to at most limit bytes without splitting a character."""
    encoded = text.encode("utf-8", "replace")
    if len(encoded) <= limit:
        return encoded
    # The source is valid UTF-8, so only the cut-off character at the end can be incomplete.
    return encoded[:limit].decode("utf-8", "ignore").encode("utf-8")


def encode_reply(opcode: int, status: Status, request_id: int, detail: str = "", body: bytes = b"") -> bytes:
    """Build one reply datagram (SPEC FRAME-3); opcode is the request's opcode, 0 when there is none."""
    detail_bytes = truncate_utf8(detail, MAX_DETAIL_BYTES)
    reply = REPLY_HEADER.pack(PROTOCOL_VERSION, opcode | REPLY_BIT, status, 0, request_id, len(detail_bytes))
    reply += detail_bytes + body
    # Every body this server sends is small; this guards SPEC FRAME-9 against future edits.
    assert len(reply) <= MAX_REPLY_BYTES, f"reply of {len(reply)} bytes exceeds {MAX_REPLY_BYTES}"
    return reply


# Bounded: a connection's queue holds at most net.unix.max_dgram_qlen (512 by default) datagrams.
MAX_DISCARDED = 1024


def close_cleanly(conn: socket.socket) -> None:
    """Close so the peer reads our last reply, then end of stream (SPEC CONN-5).

    Linux reports ECONNRESET to the peer, ahead of any reply still queued for it, when an AF_UNIX
    connection is closed with unread data in its receive queue. So: shut down both directions (the
    peer's further sends fail with EPIPE), discard what is already queued without looking at it, close.
    """
    try:
        shut_and_discard(conn)
    finally:
        conn.close()


def shut_and_discard(conn: socket.socket) -> None:
    """Shut both directions down and drop, unread, every datagram the peer had queued (SPEC CONN-5)."""
    try:
        conn.shutdown(socket.SHUT_RDWR)
        sink = bytearray(1)
        for _ in range(MAX_DISCARDED):
            # MSG_TRUNC with a 1-byte buffer drops each datagram whole without reading it
            # (recv_into, not recv: recv would resize its result to the untruncated length).
            if conn.recv_into(sink, 1, socket.MSG_DONTWAIT | socket.MSG_TRUNC) == 0:
                break
    except OSError:
        pass  # EAGAIN (queue empty) or the peer is gone


def unsolicited_reply(status: Status) -> bytes:
    """A reply that answers no request: opcode 0x80 alone, request id 0, no detail.  (SPEC AUTH-6)"""
    return encode_reply(0, status, 0)


def length_prefixed(text: str) -> bytes:
    """Encode text as one length byte followed by its UTF-8 bytes (SPEC OP-1)."""
    encoded = text.encode("utf-8")
    return bytes([len(encoded)]) + encoded


def escape_peer_text(data: bytes) -> str:
    """Escape bytes for a log line: non-printable ASCII, '"' and '\\' become \\xHH.  (SPEC AUDIT-2)"""
    return "".join(chr(b) if 0x20 <= b <= 0x7E and b not in (0x22, 0x5C) else f"\\x{b:02x}" for b in data)


# --------------------------------------------------------------------------------------------
# Errors.
# --------------------------------------------------------------------------------------------


class StartupError(Exception):
    """The server cannot start (configuration error, socket path taken); exit status 2."""


class RequestFailed(Exception):
    """A request is answered with a non-OK status; nothing has been applied.  (SPEC STAT-2)"""

    def __init__(self, status: Status, detail: str, body: bytes = b""):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.body = body
        self.target = b""  # the target name as the peer sent it, once known (for the audit)


# --------------------------------------------------------------------------------------------
# Configuration (SPEC CONF-1, CONF-2).
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetConfig:
    """One configured target: a name clients use and the file it stands for.  (SPEC TGT-1..4)"""

    name: str
    path: str
    uid: int
    gid: int
    mode: int
    max_size: int
    validator: tuple[str, ...] | None


@dataclass(frozen=True)
class ServerConfig:
    """The whole, validated configuration."""

    server_name: str
    max_request_size: int
    socket_path: str
    socket_uid: int
    socket_gid: int
    socket_mode: int
    allowed_uids: frozenset[int]
    allowed_gids: frozenset[int]
    idle_timeout: float
    max_connections: int
    max_connections_per_uid: int
    shutdown_grace: float
    validator_timeout: float
    targets: dict[str, TargetConfig]


class ConfigSection:
    """A JSON object whose keys are matched case-insensitively (SPEC CONF-1), with its key path."""

    def __init__(self, data: Any, path: str):
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise StartupError(f"{path or 'configuration'}: expected an object, found {json.dumps(data)}")
        self.path = path
        self._values = {str(key).lower(): value for key, value in data.items()}
        self._spelling = {str(key).lower(): str(key) for key in data}

    def key(self, name: str) -> str:
        """The full key path of one entry, for error messages."""
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str, default: Any = None) -> Any:
        """The value of one entry, or default when it is absent or null."""
        value = self._values.get(name.lower())
        return default if value is None else value

    def section(self, name: str) -> "ConfigSection":
        """A nested object (empty when absent)."""
        return ConfigSection(self._values.get(name.lower()), self.key(name))

    def require_known(self, names: list[str]) -> None:
        """Refuse any key that is not one of names, naming it and the closest valid one.  (SPEC CONF-3)"""
        by_lower = {name.lower(): name for name in names}
        for key in self._values:
            if key not in by_lower:
                closest = (difflib.get_close_matches(key, list(by_lower), n=1, cutoff=0.0) or [names[0].lower()])[0]
                raise StartupError(f"{self.key(self._spelling[key])}: unknown key; did you mean {self.key(by_lower[closest])}? "
                                   f"(valid here: {', '.join(names)})")


def utf8_length(text: str) -> int:
    """Length of text in UTF-8 bytes; -1 when it cannot be encoded (a lone surrogate from JSON)."""
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return -1


def parse_number(value: Any, key: str, minimum: float, maximum: float, integer: bool = True) -> Any:
    """Read a number given as a JSON number or a numeric string, within [minimum, maximum]."""
    number: Any = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value.strip()) if integer else float(value.strip())
        except ValueError:
            number = None
    if number is None or (integer and number != int(number)):
        kind = "an integer" if integer else "a number"
        raise StartupError(f"{key}: expected {kind}, found {json.dumps(value)}")
    if not minimum <= number <= maximum:
        raise StartupError(f"{key}: {json.dumps(value)} is outside the allowed range {minimum}..{maximum}")
    return int(number) if integer else float(number)


def parse_mode(value: Any, key: str, default: int) -> int:
    """Read a file mode given as an octal string such as "0640".  (SPEC CONF-1)"""
    if value is None:
        return default
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if text.lower().startswith("0o"):
        text = text[2:]
    if not text or len(text) > 5 or any(ch not in "01234567" for ch in text) or int(text, 8) > 0o7777:
        raise StartupError(f"{key}: malformed mode {json.dumps(value)}, expected an octal string such as \"0640\"")
    return int(text, 8)


def resolve_id(value: Any, key: str, kind: str) -> int:
    """Resolve a user or group name (or a numeric id) to an id, once, at start.  (SPEC AUTH-3)"""
    lookup: Callable[[str], Any] = pwd.getpwnam if kind == "user" else grp.getgrnam
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**32 - 1:
        return value
    if isinstance(value, str) and value:
        try:
            entry = lookup(value)
            return entry.pw_uid if kind == "user" else entry.gr_gid
        except KeyError:
            if value.isdigit() and int(value) < 2**32 - 1:
                return int(value)
    raise StartupError(f"{key}: unknown {kind} {json.dumps(value)}")


def parse_string_list(value: Any, key: str) -> list[Any]:
    """Read a JSON array (absent means empty)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise StartupError(f"{key}: expected an array, found {json.dumps(value)}")
    return value


def parse_target(item: Any, key: str, server_uid: int, server_gid: int, default_max: int) -> TargetConfig:
    """Read and check one entry of ConfUpdate.Targets.  (SPEC CONF-1, CONF-2)"""
    section = ConfigSection(item, key)
    section.require_known(["Name", "Path", "Owner", "Group", "Mode", "MaxSize", "Validator"])
    name = section.get("Name")
    if not isinstance(name, str) or not 1 <= utf8_length(name) <= MAX_NAME_BYTES:
        raise StartupError(f"{section.key('Name')}: target name {json.dumps(name)} must be 1..255 bytes of UTF-8")
    path = section.get("Path")
    if not isinstance(path, str) or not os.path.isabs(path) or path.endswith("/"):
        raise StartupError(f"{section.key('Path')}: expected an absolute file path, found {json.dumps(path)}")
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        raise StartupError(f"{section.key('Path')}: directory {json.dumps(directory)} does not exist")
    owner = section.get("Owner")
    group = section.get("Group")
    validator = section.get("Validator")
    if validator is not None:
        if not isinstance(validator, list) or not validator or not all(isinstance(a, str) for a in validator):
            raise StartupError(f"{section.key('Validator')}: expected a non-empty array of strings, "
                               f"found {json.dumps(validator)}")
    return TargetConfig(
        name=name,
        path=path,
        uid=server_uid if owner is None else resolve_id(owner, section.key("Owner"), "user"),
        gid=server_gid if group is None else resolve_id(group, section.key("Group"), "group"),
        mode=parse_mode(section.get("Mode"), section.key("Mode"), 0o640),
        max_size=parse_number(section.get("MaxSize", default_max), section.key("MaxSize"), 0, 2**32),
        validator=tuple(validator) if validator else None,
    )


def load_config(path: str) -> ServerConfig:
    """Read the CONF-1 JSON file and check every value; raise StartupError naming key and value."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as error:
        raise StartupError(f"cannot read configuration {path}: {error}") from error
    top = ConfigSection(document, "")
    top.require_known(["ConfUpdate"])
    root = top.section("ConfUpdate")
    root.require_known(["ServerName", "MaxRequestSize", "Socket", "Allow", "Limits", "Targets"])
    server_uid, server_gid = os.geteuid(), os.getegid()

    server_name = root.get("ServerName", SERVER_NAME)
    if not isinstance(server_name, str) or not 1 <= utf8_length(server_name) <= MAX_NAME_BYTES:
        raise StartupError(f"{root.key('ServerName')}: {json.dumps(server_name)} must be 1..255 bytes of UTF-8")
    max_request = parse_number(root.get("MaxRequestSize", DEFAULT_MAX_REQUEST_SIZE), root.key("MaxRequestSize"),
                               MIN_MAX_REQUEST_SIZE, LIMIT_MAX_REQUEST_SIZE)

    sock = root.section("Socket")
    sock.require_known(["Path", "Owner", "Group", "Mode"])
    socket_path = sock.get("Path", "/run/confupdate/confupdate.sock")
    if not isinstance(socket_path, str) or not socket_path.startswith("/") or "\0" in socket_path:
        raise StartupError(f"{sock.key('Path')}: expected an absolute filesystem path, found {json.dumps(socket_path)}")
    if len(os.fsencode(socket_path)) > 107:  # sun_path holds 108 bytes including the final NUL
        raise StartupError(f"{sock.key('Path')}: {json.dumps(socket_path)} is longer than 107 bytes")
    if not os.path.isdir(os.path.dirname(socket_path)):
        raise StartupError(f"{sock.key('Path')}: directory {json.dumps(os.path.dirname(socket_path))} does not exist")
    socket_owner, socket_group = sock.get("Owner"), sock.get("Group")

    allow = root.section("Allow")
    allow.require_known(["Users", "Uids", "Groups"])
    allowed_uids = {resolve_id(v, f"{allow.key('Users')}[{i}]", "user")
                    for i, v in enumerate(parse_string_list(allow.get("Users"), allow.key("Users")))}
    for i, value in enumerate(parse_string_list(allow.get("Uids"), allow.key("Uids"))):
        allowed_uids.add(parse_number(value, f"{allow.key('Uids')}[{i}]", 0, 2**32 - 2))
    allowed_gids = {resolve_id(v, f"{allow.key('Groups')}[{i}]", "group")
                    for i, v in enumerate(parse_string_list(allow.get("Groups"), allow.key("Groups")))}

    limits = root.section("Limits")
    limits.require_known(["IdleTimeoutSeconds", "MaxConnections", "MaxConnectionsPerUid", "ShutdownGraceSeconds",
                          "ValidatorTimeoutSeconds"])

    def limit(name: str, default: float, minimum: float, integer: bool) -> Any:
        return parse_number(limits.get(name, default), limits.key(name), minimum, 2**31 - 1, integer)

    targets: dict[str, TargetConfig] = {}
    default_max = max_request - MAX_REPLACE_OVERHEAD
    for index, item in enumerate(parse_string_list(root.get("Targets"), root.key("Targets"))):
        target = parse_target(item, f"{root.key('Targets')}[{index}]", server_uid, server_gid, default_max)
        if target.name in targets:
            raise StartupError(f"{root.key('Targets')}[{index}].Name: duplicate target name {json.dumps(target.name)}")
        targets[target.name] = target

    return ServerConfig(
        server_name=server_name,
        max_request_size=max_request,
        socket_path=socket_path,
        socket_uid=server_uid if socket_owner is None else resolve_id(socket_owner, sock.key("Owner"), "user"),
        socket_gid=server_gid if socket_group is None else resolve_id(socket_group, sock.key("Group"), "group"),
        socket_mode=parse_mode(sock.get("Mode"), sock.key("Mode"), 0o660),
        allowed_uids=frozenset(allowed_uids),
        allowed_gids=frozenset(allowed_gids),
        idle_timeout=limit("IdleTimeoutSeconds", 30, 0.001, integer=False),
        max_connections=limit("MaxConnections", 64, 1, integer=True),
        max_connections_per_uid=limit("MaxConnectionsPerUid", 8, 1, integer=True),
        shutdown_grace=limit("ShutdownGraceSeconds", 10, 0, integer=False),
        validator_timeout=limit("ValidatorTimeoutSeconds", 10, 0.001, integer=False),
        targets=targets,
    )


# --------------------------------------------------------------------------------------------
# Peers: credentials from the kernel and the access policy (SPEC AUTH).
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Peer:
    """Who is at the other end of a connection, as the kernel recorded it at connect()."""

    pid: int
    uid: int
    gid: int
    groups: frozenset[int] | None  # None when SO_PEERGROUPS failed


def _peer_groups_via_libc(fd: int) -> frozenset[int] | None:
    """Read SO_PEERGROUPS through libc when the peer has more groups than Python's 1 KiB buffer."""
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = (ctypes.c_uint32 * NGROUPS_MAX)()
    length = ctypes.c_uint32(ctypes.sizeof(buffer))  # socklen_t
    result = libc.getsockopt(fd, socket.SOL_SOCKET, SO_PEERGROUPS, buffer, ctypes.byref(length))
    if result != 0 or length.value % GID_SIZE:
        return None
    return frozenset(buffer[: length.value // GID_SIZE])


def read_peer_groups(conn: socket.socket) -> frozenset[int] | None:
    """The peer's supplementary groups via SO_PEERGROUPS, or None when the kernel refuses."""
    try:
        raw = conn.getsockopt(socket.SOL_SOCKET, SO_PEERGROUPS, PY_GETSOCKOPT_MAX)
    except OSError as error:
        if error.errno == errno.ERANGE:
            return _peer_groups_via_libc(conn.fileno())
        return None
    if len(raw) % GID_SIZE:
        return None
    return frozenset(struct.unpack(f"={len(raw) // GID_SIZE}I", raw))


def read_peer(conn: socket.socket) -> Peer | None:
    """The peer's credentials (SPEC AUTH-1, AUTH-2); None means deny (SPEC AUTH-4)."""
    try:
        raw = conn.getsockopt(socket.SOL_SOCKET, SO_PEERCRED, UCRED.size)
    except OSError:
        return None
    if len(raw) != UCRED.size:
        return None
    pid, uid, gid = UCRED.unpack(raw)
    return Peer(pid=pid, uid=uid, gid=gid, groups=read_peer_groups(conn))


@dataclass(frozen=True)
class AccessPolicy:
    """Who may use the server, with names already resolved to ids at start.  (SPEC AUTH-3)"""

    uids: frozenset[int]
    gids: frozenset[int]

    def allows(self, peer: Peer) -> bool:
        """Decide once per connection (SPEC AUTH-7) whether the peer is allowed."""
        if peer.uid in self.uids:
            return True
        # Root and the overflow uid only ever get in by being listed.  (SPEC AUTH-5)
        if peer.uid in (ROOT_UID, OVERFLOW_ID):
            return False
        groups = {peer.gid} | (peer.groups or frozenset())
        groups.discard(OVERFLOW_ID)  # the overflow gid never admits anybody (SPEC AUTH-5)
        return not groups.isdisjoint(self.gids)


# --------------------------------------------------------------------------------------------
# Audit log (SPEC AUDIT-1, AUDIT-2).
# --------------------------------------------------------------------------------------------


class AuditLog:
    """Writes whole lines to standard error; a lock keeps lines from different threads apart."""

    def __init__(self, stream: Any = sys.stderr):
        self._stream = stream
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        """Write one line and flush it."""
        with self._lock:
            self._stream.write(text + "\n")
            self._stream.flush()

    def event(self, event: str, peer: Peer | None, **fields: Any) -> None:
        """Write `audit event=<event> pid= uid= gid=` and fields; bytes values are peer text."""
        parts = [f"audit event={event}"]
        if peer is None:
            parts.append("pid=- uid=- gid=-")
        else:
            parts.append(f"pid={peer.pid} uid={peer.uid} gid={peer.gid}")
        for key, value in fields.items():
            if isinstance(value, bytes):
                value = f'"{escape_peer_text(value)}"'
            parts.append(f"{key}={value}")
        self.line(" ".join(parts))


# --------------------------------------------------------------------------------------------
# Targets: reading versions and installing content (SPEC TGT, DUR).
# --------------------------------------------------------------------------------------------

HASH_CHUNK = 1 << 16


def describe_file_type(mode: int) -> str:
    """Name the kind of file a mode describes, for messages."""
    kinds = [(stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory"), (stat.S_ISREG, "a regular file"),
             (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device")]
    return next((text for test, text in kinds if test(mode)), "an unknown kind of file")


GROUP_OR_OTHER_WRITABLE = stat.S_IWGRP | stat.S_IWOTH


class TargetDirectory:
    """A target's directory, opened from `/` one component at a time without following links, checked.

    Every file operation of a request is relative to this descriptor, so a directory replaced by a
    symbolic link, here or higher up, cannot redirect a write.  (SPEC TGT-6)
    """

    def __init__(self, path: str):
        self.path = path
        self.fd = -1
        # Intermediate components only need to be searched: O_PATH asks for no read permission.
        fd = os.open("/", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
        walked = ""
        components = [part for part in path.split("/") if part]
        try:
            for index, component in enumerate(components):
                walked += "/" + component
                if component in (".", ".."):
                    raise RequestFailed(Status.UNSAFE_TARGET, f"the target directory has a '{component}' component")
                # The last one is opened for reading: fsync (SPEC DUR-1 step 6) refuses an O_PATH descriptor.
                mode = os.O_RDONLY if index == len(components) - 1 else os.O_PATH
                try:
                    nxt = os.open(component, mode | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
                except OSError as error:
                    if error.errno in (errno.ELOOP, errno.ENOTDIR):
                        raise RequestFailed(Status.UNSAFE_TARGET,
                                            f"{walked} is a symbolic link or not a directory; nothing written") from error
                    raise RequestFailed(Status.INTERNAL_ERROR, f"cannot open {walked}: {error.strerror}") from error
                os.close(fd)
                fd = nxt
            if not components:
                os.close(fd)
                fd = os.open("/", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            info = os.fstat(fd)
            if info.st_uid not in (ROOT_UID, os.geteuid()):
                raise RequestFailed(Status.UNSAFE_TARGET,
                                    f"the target directory is owned by uid {info.st_uid}, not root or the server's user")
            if info.st_mode & GROUP_OR_OTHER_WRITABLE:
                raise RequestFailed(Status.UNSAFE_TARGET, "the target directory is writable by its group or others")
            self.fd, fd = fd, -1
        finally:
            if fd >= 0:
                os.close(fd)

    def __enter__(self) -> "TargetDirectory":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def check_target_path(directory: TargetDirectory, name: str) -> bool:
    """lstat the target: True if a regular file is there, False if nothing; else UNSAFE_TARGET (SPEC TGT-5)."""
    try:
        info = os.stat(name, dir_fd=directory.fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise RequestFailed(Status.INTERNAL_ERROR, f"cannot examine the target: {error.strerror}") from error
    if not stat.S_ISREG(info.st_mode):
        raise RequestFailed(Status.UNSAFE_TARGET, f"the target path is {describe_file_type(info.st_mode)}")
    return True


def read_version(directory: TargetDirectory, target: TargetConfig) -> tuple[bool, int, bytes]:
    """(exists, size, SHA-256) of the target, never following a symbolic link.  (SPEC OP-3, TGT-5, TGT-6)"""
    name = os.path.basename(target.path)
    if not check_target_path(directory, name):
        return False, 0, ABSENT_VERSION
    try:
        # O_NONBLOCK: should a FIFO appear after the lstat, opening it must not hang this thread.
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC,
                     dir_fd=directory.fd)
    except FileNotFoundError:
        return False, 0, ABSENT_VERSION
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise RequestFailed(Status.UNSAFE_TARGET, "the target path is a symbolic link") from error
        raise RequestFailed(Status.INTERNAL_ERROR, f"cannot open the target: {error.strerror}") from error
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RequestFailed(Status.UNSAFE_TARGET, f"the target path is {describe_file_type(info.st_mode)}")
        digest, size = hashlib.sha256(), 0
        while chunk := os.read(fd, HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
        return True, size, digest.digest()
    except OSError as error:
        raise RequestFailed(Status.INTERNAL_ERROR, f"cannot read the target: {error.strerror}") from error
    finally:
        os.close(fd)


class ValidatorRunner:
    """Runs validators (SPEC TGT-4) and remembers running ones so shutdown can kill stragglers."""

    POLL_SECONDS = 0.05

    def __init__(self, timeout: float):
        self._timeout = timeout
        self._lock = threading.Lock()
        self._running: set[int] = set()

    def kill_all(self) -> None:
        """Kill every validator still running (their process groups)."""
        with self._lock:
            groups = list(self._running)
        for pgid in groups:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def run(self, template: tuple[str, ...], candidate: str) -> None:
        """Run the validator on the candidate file; raise RequestFailed unless it exits 0."""
        argv = [argument.replace("{file}", candidate) for argument in template]
        try:
            # No shell; stdin from /dev/null; its own process group so a timeout kills its children
            # too; close_fds (the default) keeps our sockets out of it (SPEC TRANS-4).
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
        except (OSError, ValueError) as error:
            raise RequestFailed(Status.INTERNAL_ERROR, f"validator could not be started: {error}") from error
        with self._lock:
            self._running.add(process.pid)
        try:
            output, timed_out = self._collect(process)
        finally:
            with self._lock:
                self._running.discard(process.pid)
        shown = escape_peer_text(output)
        if timed_out:
            raise RequestFailed(Status.VALIDATION_FAILED,
                                f"validator timed out after {self._timeout:g} s; output: \"{shown}\"")
        if process.returncode < 0:
            raise RequestFailed(Status.VALIDATION_FAILED,
                                f"validator killed by signal {-process.returncode}; output: \"{shown}\"")
        if process.returncode != 0:
            raise RequestFailed(Status.VALIDATION_FAILED,
                                f"validator exited with status {process.returncode}; output: \"{shown}\"")

    def _collect(self, process: subprocess.Popen) -> tuple[bytes, bool]:
        """Keep the first 512 bytes of output until the validator exits or the timeout passes."""
        assert process.stdout is not None
        deadline = time.monotonic() + self._timeout
        kept = bytearray()
        pipe = process.stdout.fileno()
        os.set_blocking(pipe, False)
        timed_out = False
        try:
            while True:
                readable, _, _ = select.select([pipe], [], [], self.POLL_SECONDS)
                if readable:
                    try:
                        chunk = os.read(pipe, 4096)
                    except BlockingIOError:
                        chunk = None
                    if chunk == b"":
                        break  # end of output; wait for the exit status below
                    if chunk and len(kept) < VALIDATOR_OUTPUT_BYTES:
                        kept += chunk[: VALIDATOR_OUTPUT_BYTES - len(kept)]
                    continue
                if process.poll() is not None:
                    break  # exited; a grandchild may hold the pipe open, do not wait for it
                if time.monotonic() >= deadline:
                    timed_out = True
                    break
            if not timed_out:
                try:
                    process.wait(timeout=max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    timed_out = True
        finally:
            if timed_out or process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
            process.stdout.close()
        return bytes(kept), timed_out


def write_all(fd: int, data: bytes) -> None:
    """Write all of data to fd (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


TEMP_STEM_BYTES = 200  # SPEC DUR-6: keeps `.<stem>.<16 hex>.tmp` under NAME_MAX (255)
TEMP_RANDOM_BYTES = 8  # SPEC DUR-6: 16 lowercase hex digits
TEMP_SUFFIX = ".tmp"


def temp_stem(base: str) -> str:
    """SPEC DUR-6's P: the file name, or its longest prefix of at most 200 bytes on a character boundary."""
    return base.encode("utf-8", "surrogateescape")[:TEMP_STEM_BYTES].decode("utf-8", "ignore")


def temp_owner(entry: str, stems: dict[str, str]) -> str | None:
    """The target whose DUR-6 temporary name `entry` is (stems: target name -> P), else None."""
    for name, stem in stems.items():
        prefix = f".{stem}."
        middle = entry[len(prefix):-len(TEMP_SUFFIX)]
        if (entry.startswith(prefix) and entry.endswith(TEMP_SUFFIX)
                and len(entry) == len(prefix) + 2 * TEMP_RANDOM_BYTES + len(TEMP_SUFFIX)
                and all(c in "0123456789abcdef" for c in middle)):
            return name
    return None


def create_temporary(directory: TargetDirectory, target: TargetConfig) -> tuple[str, int]:
    """Create `.<name>.<random>.tmp` in the target's directory, 0600, never following links.  (SPEC DUR-1, DUR-6)"""
    stem = temp_stem(os.path.basename(target.path))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(16):
        name = f".{stem}.{secrets.token_hex(TEMP_RANDOM_BYTES)}{TEMP_SUFFIX}"
        try:
            return name, os.open(name, flags, 0o600, dir_fd=directory.fd)
        except FileExistsError:
            continue
    raise RequestFailed(Status.INTERNAL_ERROR, "cannot find a free temporary file name")


def install(directory: TargetDirectory, target: TargetConfig, content: bytes, validators: ValidatorRunner) -> None:
    """Install content at the target: temp file, validate, owner/mode, fsync, rename, fsync dir.

    The caller holds the target's lock (SPEC DUR-4).  Every step is relative to the checked directory
    descriptor (SPEC TGT-6).  On any failure the temporary file is removed and the target is left as it
    was (SPEC DUR-2).
    """
    name = os.path.basename(target.path)
    temporary, fd, renamed = None, -1, False
    try:
        # Inside the try: a directory gone since it was opened is INTERNAL_ERROR, not a closed connection.
        temporary, fd = create_temporary(directory, target)
        write_all(fd, content)
        if target.validator:
            validators.run(target.validator, os.path.join(directory.path, temporary))
        # fchown before fchmod: changing the owner clears set-id bits a mode might carry.
        os.fchown(fd, target.uid, target.gid)
        os.fchmod(fd, target.mode)
        os.fsync(fd)
        closing, fd = fd, -1
        os.close(closing)
        # Looked at again just before the rename: a link may have been put there meanwhile.  (SPEC TGT-5)
        check_target_path(directory, name)
        os.rename(temporary, name, src_dir_fd=directory.fd, dst_dir_fd=directory.fd)
        renamed = True
        os.fsync(directory.fd)
    except OSError as error:
        raise RequestFailed(Status.INTERNAL_ERROR, f"cannot install the content: {error.strerror}") from error
    finally:
        if fd >= 0:
            os.close(fd)
        if temporary is not None and not renamed:
            try:
                os.unlink(temporary, dir_fd=directory.fd)
            except FileNotFoundError:
                pass


def recover_temporary_files(targets: Any, audit: "AuditLog") -> None:
    """At start, remove leftover DUR-6 temporary files of our targets: regular files only, no links followed."""
    by_directory: dict[str, dict[str, str]] = {}
    for target in targets:
        directory, base = os.path.split(target.path)
        by_directory.setdefault(directory, {})[target.name] = temp_stem(base)
    for path, stems in by_directory.items():
        try:
            with TargetDirectory(path) as directory:
                for entry in os.listdir(directory.fd):
                    owner = temp_owner(entry, stems)
                    if owner is None:
                        continue
                    info = os.stat(entry, dir_fd=directory.fd, follow_symlinks=False)
                    if not stat.S_ISREG(info.st_mode):
                        continue  # a link, directory or FIFO with such a name is not ours: left alone
                    os.unlink(entry, dir_fd=directory.fd)  # unlinkat never follows a link
                    audit.line(f"audit event=recover target=\"{escape_peer_text(owner.encode())}\" "
                               f"file=\"{escape_peer_text(entry.encode('utf-8', 'surrogateescape'))}\" size={info.st_size}")
        except (OSError, RequestFailed) as error:
            # SPEC DUR-6: a directory that cannot be examined is logged and does not stop the server.
            audit.line(f"cannot examine {path} for leftover temporary files: {error}")


# --------------------------------------------------------------------------------------------
# Requests (SPEC FRAME, OP).
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a request led to: the reply's status, detail and body, and the name for the audit."""

    status: Status
    detail: str = ""
    body: bytes = b""
    target: bytes = b""


def parse_name(body: bytes, offset: int) -> tuple[bytes, int]:
    """Read a length-prefixed target name at offset; raise BAD_REQUEST when malformed.  (SPEC FRAME-6)"""
    if offset >= len(body):
        raise RequestFailed(Status.BAD_REQUEST, "the body ends before the target name length")
    length = body[offset]
    if length == 0:
        raise RequestFailed(Status.BAD_REQUEST, "the target name length is 0")
    end = offset + 1 + length
    if end > len(body):
        raise RequestFailed(Status.BAD_REQUEST,
                            f"the target name length is {length} but only {len(body) - offset - 1} bytes follow")
    return body[offset + 1:end], end


def decode_name(raw: bytes) -> str:
    """The target name as text; a name that is not UTF-8 is a BAD_REQUEST.  (SPEC FRAME-6)"""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RequestFailed(Status.BAD_REQUEST, "the target name is not valid UTF-8") from error


class RequestHandler:
    """Carries out decoded requests against the configured targets."""

    def __init__(self, config: ServerConfig, validators: ValidatorRunner):
        self._config = config
        self._validators = validators
        # One lock per target file; targets that name the same file share it.  (SPEC DUR-4)
        locks: dict[str, threading.Lock] = {}
        self._locks: dict[str, threading.Lock] = {}
        for target in config.targets.values():
            directory, base = os.path.split(target.path)
            key = os.path.join(os.path.realpath(directory), base)
            self._locks[target.name] = locks.setdefault(key, threading.Lock())

    def handle(self, datagram: bytes, length: int) -> tuple[bytes, str, Outcome]:
        """Answer one datagram of `length` bytes (datagram holds its first bytes).

        Returns the reply, the operation name for the audit, and the outcome.
        """
        if length > self._config.max_request_size:
            # SPEC FRAME-4: detected before anything is parsed; never applied, not even in part.
            _, opcode, _, request_id = REQUEST_HEADER.unpack_from(datagram)
            outcome = Outcome(Status.TOO_LARGE,
                              f"request of {length} bytes exceeds the maximum of {self._config.max_request_size}")
            return self._reply(opcode, request_id, outcome), self._op_name(opcode), outcome
        if length < REQUEST_HEADER.size:
            # SPEC FRAME-6 and FRAME-3: no header to echo, so opcode 0x80 alone and request id 0.
            outcome = Outcome(Status.BAD_REQUEST, f"request of {length} bytes is shorter than the 8-byte header")
            return self._reply(0, 0, outcome), "-", outcome
        version, opcode, flags, request_id = REQUEST_HEADER.unpack_from(datagram)
        body = datagram[REQUEST_HEADER.size:length]
        try:
            if version != PROTOCOL_VERSION:  # SPEC FRAME-7
                raise RequestFailed(Status.UNSUPPORTED_VERSION, f"version {version} is not supported",
                                    bytes([PROTOCOL_VERSION]))
            if flags != 0:  # SPEC FRAME-6
                raise RequestFailed(Status.BAD_REQUEST, f"flags are 0x{flags:04x}, expected 0")
            operation = {OP_HELLO: self._hello, OP_REPLACE: self._replace,
                         OP_GET_VERSION: self._get_version}.get(opcode)
            if operation is None:  # SPEC FRAME-8
                raise RequestFailed(Status.UNKNOWN_OPERATION, f"opcode 0x{opcode:02x} is not defined")
            outcome = operation(body)
        except RequestFailed as failure:
            outcome = Outcome(failure.status, failure.detail, failure.body, failure.target)
        return self._reply(opcode, request_id, outcome), self._op_name(opcode), outcome

    @staticmethod
    def _op_name(opcode: int) -> str:
        return OP_NAMES.get(opcode, f"0x{opcode:02x}")

    @staticmethod
    def _reply(opcode: int, request_id: int, outcome: Outcome) -> bytes:
        return encode_reply(opcode, outcome.status, request_id, outcome.detail, outcome.body)

    def _hello(self, body: bytes) -> Outcome:
        """HELLO: protocol version, M, server name and version.  (SPEC OP-1)"""
        if body:
            raise RequestFailed(Status.BAD_REQUEST, f"HELLO takes no body, found {len(body)} bytes")
        reply = struct.pack(">BI", PROTOCOL_VERSION, self._config.max_request_size)
        reply += length_prefixed(self._config.server_name) + length_prefixed(SERVER_VERSION)
        return Outcome(Status.OK, body=reply)

    def _lookup(self, raw_name: bytes) -> TargetConfig:
        """The configured target with exactly this name, else UNKNOWN_TARGET.  (SPEC TGT-1)"""
        target = self._config.targets.get(decode_name(raw_name))
        if target is None:
            raise RequestFailed(Status.UNKNOWN_TARGET, "no target of that name is configured")
        return target

    def _get_version(self, body: bytes) -> Outcome:
        """GET_VERSION: exists, size, SHA-256; never the content.  (SPEC OP-3)"""
        raw_name, end = parse_name(body, 0)
        if end != len(body):
            raise RequestFailed(Status.BAD_REQUEST, f"{len(body) - end} trailing bytes after the target name")
        try:
            target = self._lookup(raw_name)
            with TargetDirectory(os.path.dirname(target.path)) as directory:
                exists, size, version = read_version(directory, target)
        except RequestFailed as failure:
            failure.target = raw_name
            raise
        return Outcome(Status.OK, body=struct.pack(">BQ", exists, size) + version, target=raw_name)

    def _replace(self, body: bytes) -> Outcome:
        """REPLACE: install the whole content, optionally compare-and-set.  (SPEC OP-2, OP-4)"""
        raw_name, offset = parse_name(body, 0)
        if offset >= len(body):
            raise RequestFailed(Status.BAD_REQUEST, "the body ends before the options byte")
        options = body[offset]
        offset += 1
        if options & ~OPTION_EXPECTED_VERSION:
            raise RequestFailed(Status.BAD_REQUEST, f"undefined option bits 0x{options:02x}")
        expected = None
        if options & OPTION_EXPECTED_VERSION:
            if offset + VERSION_SIZE > len(body):
                raise RequestFailed(Status.BAD_REQUEST, "the body ends inside the expected version")
            expected = body[offset:offset + VERSION_SIZE]
            offset += VERSION_SIZE
        content = body[offset:]
        try:
            target = self._lookup(raw_name)
            if len(content) > target.max_size:  # SPEC TGT-2
                raise RequestFailed(Status.TOO_LARGE,
                                    f"content of {len(content)} bytes exceeds the target's maximum of {target.max_size}")
            new_version = hashlib.sha256(content).digest()
            with self._locks[target.name], TargetDirectory(os.path.dirname(target.path)) as directory:
                # The check and the install happen under the target's lock (SPEC OP-4, DUR-4), in one
                # checked directory (SPEC TGT-6).
                if expected is not None:
                    _, _, current = read_version(directory, target)
                    if current != expected:
                        raise RequestFailed(Status.CONFLICT, "the target's version is not the expected version")
                else:
                    check_target_path(directory, os.path.basename(target.path))
                install(directory, target, content, self._validators)
        except RequestFailed as failure:
            failure.target = raw_name
            raise
        return Outcome(Status.OK, body=new_version, target=raw_name)


# --------------------------------------------------------------------------------------------
# Listening socket (SPEC TRANS).
# --------------------------------------------------------------------------------------------


@dataclass
class Listener:
    """The listening socket and, when this server created its file, that file's identity."""

    sock: socket.socket
    path: str
    file_identity: tuple[int, int] | None  # (st_dev, st_ino); None for an adopted socket


def adopt_activated_socket() -> socket.socket | None:
    """Adopt fd 3 from a socket activator (SPEC TRANS-5), or return None when not activated."""
    if os.environ.get("LISTEN_PID") != str(os.getpid()):
        return None
    count = os.environ.get("LISTEN_FDS", "0")
    for variable in ("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"):
        os.environ.pop(variable, None)
    if count == "0":
        return None
    if count != "1":
        raise StartupError(f"LISTEN_FDS={count!r}: expected exactly one socket from the activator")
    try:
        sock = socket.socket(fileno=SD_LISTEN_FDS_START)
        domain = sock.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN)
        kind = sock.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)
        listening = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
    except OSError as error:
        raise StartupError(f"inherited file descriptor {SD_LISTEN_FDS_START} is not a usable socket: {error}") from error
    if domain != socket.AF_UNIX or kind != socket.SOCK_SEQPACKET or not listening:
        raise StartupError(f"inherited file descriptor {SD_LISTEN_FDS_START} is not a listening AF_UNIX "
                           f"SOCK_SEQPACKET socket (domain {domain}, type {kind}, listening {listening})")
    sock.set_inheritable(False)  # SPEC TRANS-4
    return sock


def clear_socket_path(path: str) -> None:
    """Handle whatever is already at the socket path, never following a link.  (SPEC TRANS-3)"""
    key = "ConfUpdate.Socket.Path"
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(found.st_mode):
        raise StartupError(f"{key}: {path} is {describe_file_type(found.st_mode)}, not a socket; "
                           "refusing to start and leaving it untouched")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    probe.settimeout(2.0)  # a live server with a full backlog makes connect() wait
    try:
        probe.connect(path)
    except ConnectionRefusedError:
        # A stale socket left by a dead server.  Remove it only if it is still the file we examined.
        again = os.lstat(path)
        if (again.st_dev, again.st_ino) != (found.st_dev, found.st_ino):
            raise StartupError(f"{key}: {path} changed while being examined; refusing to start") from None
        os.unlink(path)
        return
    except (socket.timeout, OSError) as error:
        reason = "a live socket of another type" if getattr(error, "errno", None) == errno.EPROTOTYPE \
            else f"a socket that cannot be probed ({error})"
        raise StartupError(f"{key}: {path} is {reason}; refusing to start and leaving it untouched") from None
    finally:
        probe.close()
    raise StartupError(f"{key}: {path} is held by a live server; refusing to start and leaving it untouched")


def set_socket_file_attributes(path: str, uid: int, gid: int, mode: int) -> tuple[int, int]:
    """Give the freshly bound socket file its owner, group and exact mode.  (SPEC TRANS-2)

    Works through an O_PATH descriptor opened with O_NOFOLLOW, so a symbolic link swapped in at the
    path can never redirect the chown/chmod; /proc/self/fd/N names that exact inode.
    """
    fd = os.open(path, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISSOCK(info.st_mode):
            raise StartupError(f"ConfUpdate.Socket.Path: {path} changed after bind(); refusing to start")
        os.chown(f"/proc/self/fd/{fd}", uid, gid)
        os.chmod(f"/proc/self/fd/{fd}", mode)
        return info.st_dev, info.st_ino
    finally:
        os.close(fd)


def open_listener(config: ServerConfig) -> Listener:
    """Adopt an activated socket or create, secure and listen on the configured path."""
    adopted = adopt_activated_socket()
    if adopted is not None:
        return Listener(adopted, config.socket_path, None)
    path = config.socket_path
    clear_socket_path(path)
    sock = socket.socket(socket.AF_UNIX, LISTEN_SOCKET_TYPE)  # close-on-exec by default (TRANS-4)
    # The file is born with no permissions; set_socket_file_attributes gives it the configured ones.
    previous_umask = os.umask(0o777)
    try:
        sock.bind(path)
    except OSError as error:
        sock.close()
        raise StartupError(f"ConfUpdate.Socket.Path: cannot bind {path}: {error.strerror or error}") from error
    finally:
        os.umask(previous_umask)
    try:
        identity = set_socket_file_attributes(path, config.socket_uid, config.socket_gid, config.socket_mode)
        sock.listen(LISTEN_BACKLOG)  # only now can a peer connect (SPEC TRANS-2)
    except (OSError, StartupError) as error:
        sock.close()
        try:
            os.unlink(path)
        except OSError:
            pass
        if isinstance(error, StartupError):
            raise
        raise StartupError(f"ConfUpdate.Socket: cannot set up {path}: {error}") from error
    return Listener(sock, path, identity)


def notify_ready(audit: AuditLog) -> None:
    """Send READY=1 to $NOTIFY_SOCKET like sd_notify, then unset it.  (SPEC PROF-2)"""
    address = os.environ.pop("NOTIFY_SOCKET", "")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]  # abstract namespace
    elif not address.startswith("/"):
        audit.line(f"NOTIFY_SOCKET={address!r} is not an AF_UNIX address; not notifying")
        return
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notifier:
            notifier.connect(address)
            notifier.sendall(b"READY=1")
    except OSError as error:
        audit.line(f"cannot notify readiness to NOTIFY_SOCKET: {error}")


# --------------------------------------------------------------------------------------------
# Connections and the server (SPEC CONN, LIFE).
# --------------------------------------------------------------------------------------------


class ConnectionTable:
    """Counts and remembers admitted connections; enforces the caps.  (SPEC CONN-3)"""

    def __init__(self, max_total: int, max_per_uid: int):
        self._max_total = max_total
        self._max_per_uid = max_per_uid
        self._condition = threading.Condition()
        self._connections: dict[socket.socket, int] = {}
        self._per_uid: dict[int, int] = {}
        # Per connection: its sends and the shutdown's abandon never interleave (SPEC LIFE-3).
        self._send_locks: dict[socket.socket, threading.Lock] = {}
        self._abandoned: set[socket.socket] = set()

    def admit(self, conn: socket.socket, uid: int) -> bool:
        """Register the connection unless a cap is reached."""
        with self._condition:
            if len(self._connections) >= self._max_total or self._per_uid.get(uid, 0) >= self._max_per_uid:
                return False
            self._connections[conn] = uid
            self._send_locks[conn] = threading.Lock()
            self._per_uid[uid] = self._per_uid.get(uid, 0) + 1
            return True

    def release(self, conn: socket.socket) -> None:
        """Forget a closed connection."""
        with self._condition:
            uid = self._connections.pop(conn)
            self._send_locks.pop(conn, None)
            self._abandoned.discard(conn)
            self._per_uid[uid] -= 1
            if not self._per_uid[uid]:
                del self._per_uid[uid]
            self._condition.notify_all()

    def wait_empty(self, timeout: float) -> bool:
        """Wait until every connection has closed; False if the timeout passed first."""
        with self._condition:
            return self._condition.wait_for(lambda: not self._connections, timeout)

    ABANDON_WAIT_SECONDS = 0.2

    def send(self, conn: socket.socket, datagram: bytes) -> bool:
        """Send one reply unless the connection was abandoned (SPEC LIFE-3); False if it could not be sent."""
        with self._condition:
            lock = self._send_locks.get(conn)
        if lock is None:
            return _send_datagram(conn, datagram)
        with lock:
            if conn in self._abandoned:
                return False
            return _send_datagram(conn, datagram)

    def abandon_all(self, last_word: bytes) -> None:
        """SPEC LIFE-3: each remaining connection gets `last_word` (after a reply being sent) and is shut down."""
        with self._condition:
            remaining = [(conn, self._send_locks[conn]) for conn in self._connections]
        for conn, lock in remaining:
            held = lock.acquire(timeout=self.ABANDON_WAIT_SECONDS)
            try:
                self._abandoned.add(conn)
                try:
                    conn.send(last_word, socket.MSG_DONTWAIT | socket.MSG_NOSIGNAL)
                except OSError:
                    pass
                # Its thread then closes it; the queue is already empty, so the peer reads
                # SHUTTING_DOWN and end of stream, not ECONNRESET (SPEC CONN-5).
                shut_and_discard(conn)
            finally:
                if held:
                    lock.release()


def receive_datagram(conn: socket.socket, buffer: bytearray) -> int:
    """Receive one datagram into buffer without blocking; return its real length (may exceed the buffer)."""
    # MSG_TRUNC makes Linux return the datagram's real length even when it is larger than
    # the buffer, so an oversized request is detected (SPEC FRAME-4).
    return conn.recv_into(buffer, len(buffer), socket.MSG_TRUNC | socket.MSG_DONTWAIT)


def ends_connection(length: int) -> bool:
    """Whether a receive of this length ends the connection."""
    return length == 0  # SPEC FRAME-5: end of stream (or a zero-length datagram)


class Server:
    """Accepts connections, admits peers and runs one thread per admitted connection."""

    # After the grace period, how long shut-down connections get to notice before we exit.
    FORCED_CLOSE_SECONDS = 1.0

    def __init__(self, config: ServerConfig, audit: AuditLog):
        self._config = config
        self._audit = audit
        self._policy = AccessPolicy(config.allowed_uids, config.allowed_gids)
        self._validators = ValidatorRunner(config.validator_timeout)
        self._handler = RequestHandler(config, self._validators)
        self._table = ConnectionTable(config.max_connections, config.max_connections_per_uid)
        self._stopping = threading.Event()
        # Written once by the signal handler: wakes the accept loop.
        self._wake_read, self._wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        # Written once at shutdown and never read: readable from then on for every connection thread.
        self._drain_read, self._drain_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._listener: Listener | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def request_stop(self, signum: int = 0, frame: Any = None) -> None:
        """Signal handler for SIGTERM and SIGINT: ask the accept loop to stop.  (SPEC LIFE-1)"""
        self._stopping.set()
        try:
            os.write(self._wake_write, b"\0")
        except BlockingIOError:
            pass

    def run(self) -> None:
        """Listen, serve until asked to stop, then shut down gracefully."""
        self._listener = open_listener(self._config)
        # SPEC DUR-6: after open_listener (a live server would have stopped us: TRANS-3), before any accept.
        recover_temporary_files(self._config.targets.values(), self._audit)
        self._audit.line(f"listening on {self._listener.path}")
        notify_ready(self._audit)
        try:
            self._accept_loop()
        finally:
            self._shutdown()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        listener = self._listener.sock
        listener.setblocking(False)
        poller = select.poll()
        poller.register(listener, select.POLLIN)
        poller.register(self._wake_read, select.POLLIN)
        while not self._stopping.is_set():
            for fd, _ in poller.poll():
                if fd == listener.fileno() and not self._stopping.is_set():
                    self._accept_one(listener)

    def _shutdown(self) -> None:
        """Stop accepting, let in-flight requests finish, tell idle peers, remove our socket."""
        assert self._listener is not None
        self._listener.sock.close()
        self._remove_socket_file()
        os.write(self._drain_write, b"\0")
        if not self._table.wait_empty(self._config.shutdown_grace):
            self._audit.line("shutdown grace period over; closing the remaining connections")
            # SPEC LIFE-3: SHUTTING_DOWN and end of stream first, so that a validator killed below
            # cannot slip a VALIDATION_FAILED reply in for content that was never judged.
            self._table.abandon_all(unsolicited_reply(Status.SHUTTING_DOWN))
            self._validators.kill_all()
            self._table.wait_empty(self.FORCED_CLOSE_SECONDS)

    def _remove_socket_file(self) -> None:
        """Unlink the socket file only if we created it and it is still the same file.  (SPEC LIFE-1)"""
        assert self._listener is not None
        if self._listener.file_identity is None:
            return  # adopted from an activator: the file is not ours (SPEC TRANS-5)
        try:
            info = os.lstat(self._listener.path)
            if (info.st_dev, info.st_ino) == self._listener.file_identity:
                os.unlink(self._listener.path)
        except OSError:
            pass

    # -- admission --------------------------------------------------------------------------

    def _accept_one(self, listener: socket.socket) -> None:
        """Accept one connection and admit, refuse (FORBIDDEN) or turn it away (BUSY)."""
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return
        except OSError as error:
            self._audit.line(f"accept failed: {error}")
            if error.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                time.sleep(0.1)  # out of resources: do not spin; CONN-4 frees them as peers leave
            return
        peer = read_peer(conn)
        if peer is None or not self._policy.allows(peer):
            self._audit.event("reject", peer)
            self._refuse(conn, Status.FORBIDDEN)  # SPEC AUTH-6: no datagram is read
            return
        if not self._table.admit(conn, peer.uid):
            self._audit.event("busy", peer)
            self._refuse(conn, Status.BUSY)  # SPEC CONN-3
            return
        self._audit.event("accept", peer)
        thread = threading.Thread(target=self._serve_connection, args=(conn, peer),
                                  name=f"conn-pid{peer.pid}", daemon=True)
        thread.start()

    @staticmethod
    def _refuse(conn: socket.socket, status: Status) -> None:
        """Send one unsolicited reply without waiting, then close cleanly (SPEC CONN-5)."""
        try:
            conn.send(unsolicited_reply(status), socket.MSG_DONTWAIT | socket.MSG_NOSIGNAL)
        except OSError:
            pass
        close_cleanly(conn)

    # -- one connection ---------------------------------------------------------------------

    def _serve_connection(self, conn: socket.socket, peer: Peer) -> None:
        """Thread body: serve requests until the peer leaves, idles out or the server stops."""
        try:
            self._connection_loop(conn, peer)
        except Exception as error:  # noqa: BLE001 - SPEC CONN-1: a failure closes this connection only
            self._audit.line(f"connection of pid {peer.pid} failed: {error!r}")
        finally:
            conn.close()
            self._table.release(conn)
            self._audit.event("close", peer)

    def _connection_loop(self, conn: socket.socket, peer: Peer) -> None:
        limit = self._config.max_request_size
        buffer = bytearray(limit + 1)
        # A send that cannot complete within the idle timeout (peer not reading) ends the connection.
        conn.settimeout(self._config.idle_timeout)
        poller = select.poll()
        poller.register(conn, select.POLLIN)
        poller.register(self._drain_read, select.POLLIN)
        idle_ms = max(1, int(self._config.idle_timeout * 1000))
        while True:
            events = dict(poller.poll(idle_ms))
            if self._drain_read in events:
                # SPEC LIFE-1: between requests this connection is idle; tell the peer and close.
                self._send(conn, unsolicited_reply(Status.SHUTTING_DOWN))
                close_cleanly(conn)
                return
            if not events:
                return  # SPEC CONN-2: idle timeout, close without a reply
            try:
                length = receive_datagram(conn, buffer)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                return  # ECONNRESET and friends: the peer is gone
            if ends_connection(length):
                return
            datagram = bytes(buffer[:min(length, len(buffer))])
            # From here on the request is carried out whether or not the peer stays (SPEC DUR-5).
            reply, op_name, outcome = self._handler.handle(datagram, length)
            self._audit.event("request", peer, op=op_name, target=outcome.target, size=length,
                              status=outcome.status.name)
            if not self._send(conn, reply):
                return

    def _send(self, conn: socket.socket, datagram: bytes) -> bool:
        """Send one datagram; False if the connection is unusable (SPEC DUR-5: close it only)."""
        return self._table.send(conn, datagram)


def _send_datagram(conn: socket.socket, datagram: bytes) -> bool:
    try:
        return conn.send(datagram, socket.MSG_NOSIGNAL) == len(datagram)
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse arguments, load configuration, serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description="ConfUpdate protocol v1 example server (docs/SPEC.md).")
    parser.add_argument("--config", required=True, help="path of the CONF-1 JSON configuration file")
    args = parser.parse_args(argv)
    audit = AuditLog()
    try:
        config = load_config(args.config)
        server = Server(config, audit)
        signal.signal(signal.SIGTERM, server.request_stop)
        signal.signal(signal.SIGINT, server.request_stop)
        server.run()
    except StartupError as error:
        audit.line(f"confupdate: {error}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
