#!/usr/bin/env python3
"""Self-check for confupdate_server.py: real sockets, real processes, real users.

Run as root:   python3 selfcheck.py            (prints PASS/FAIL lines; exit status 1 on any FAIL)

It starts the server with a temporary configuration, then plays clients as the test accounts
(www-data, nobody, confkit-member, confkit-stranger from scripts/setup-test-users.sh) by running
this same file in `--client` mode under `setpriv --reuid=U --regid=G --init-groups`. A client reads
a list of steps (connect, send, recv, close, sleep) as JSON on stdin and prints what it observed.
Standard library only.
"""

from __future__ import annotations

import errno
import grp
import hashlib
import json
import os
import pwd
import random
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Callable

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_SCRIPT = os.path.join(HERE, "confupdate_server.py")

MAX_REQUEST = 4096  # small M so that oversize datagrams are cheap to send
IDLE_SECONDS = 3
VALIDATOR_SECONDS = 2
PER_UID_CAP = 3
TOTAL_CAP = 6
REPLY_BUFFER = 2049  # SPEC FRAME-9: a reply always fits in 2049 bytes

OK, FORBIDDEN, BAD_REQUEST, UNSUPPORTED_VERSION, UNKNOWN_OPERATION, TOO_LARGE = 0, 1, 2, 3, 4, 5
UNKNOWN_TARGET, VALIDATION_FAILED, CONFLICT, BUSY, INTERNAL_ERROR, UNSAFE_TARGET, SHUTTING_DOWN = 6, 7, 8, 9, 10, 11, 12
HELLO, REPLACE, GET_VERSION = 1, 2, 3
ZERO_VERSION = bytes(32)

# ============================================================================================
# Client mode: runs as a test user, executes steps, prints one JSON result per step.
# ============================================================================================


def client_main() -> int:
    """Execute the JSON step list from stdin; print a JSON list of results (one per step)."""
    program = json.load(sys.stdin)
    path = program["socket"]
    conns: dict[int, socket.socket] = {}
    results: list[str] = []
    for step in program["steps"]:
        action, index = step["do"], step.get("c", 0)
        try:
            if action == "connect":
                conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                conn.connect(path)
                conns[index] = conn
                results.append("ok")
            elif action == "send":
                conns[index].send(bytes.fromhex(step["data"]))
                results.append("ok")
            elif action == "recv":
                conn = conns[index]
                conn.settimeout(step.get("timeout", 5))
                buffer = bytearray(REPLY_BUFFER)
                length = conn.recv_into(buffer, len(buffer), socket.MSG_TRUNC)
                if length == 0:
                    results.append("eof")
                elif length >= REPLY_BUFFER:
                    results.append("truncated")
                else:
                    results.append(bytes(buffer[:length]).hex())
            elif action == "close":
                conns.pop(index).close()
                results.append("ok")
            elif action == "sleep":
                time.sleep(step["seconds"])
                results.append("ok")
        except socket.timeout:
            results.append("timeout")
        except OSError as error:
            results.append("error:" + errno.errorcode.get(error.errno or 0, str(error)))
    print(json.dumps(results))
    return 0


# ============================================================================================
# Wire helpers (SPEC FRAME-3).
# ============================================================================================


def request(opcode: int, request_id: int, body: bytes = b"", version: int = 1, flags: int = 0) -> bytes:
    """One request datagram."""
    return struct.pack(">BBHI", version, opcode, flags, request_id) + body


def name_field(name: bytes) -> bytes:
    """A length-prefixed target name."""
    return bytes([len(name)]) + name


def replace(name: bytes, content: bytes, request_id: int = 1, expected: bytes | None = None) -> bytes:
    """A REPLACE request, with an expected version when given."""
    options = b"\x00" if expected is None else b"\x01" + expected
    return request(REPLACE, request_id, name_field(name) + options + content)


def get_version(name: bytes, request_id: int = 1) -> bytes:
    """A GET_VERSION request."""
    return request(GET_VERSION, request_id, name_field(name))


@dataclass
class Reply:
    """A decoded reply datagram."""

    opcode: int
    status: int
    request_id: int
    detail: str
    body: bytes


def parse_reply(result: str) -> Reply | None:
    """Decode a client's hex result; None for eof/timeout/errors."""
    if not result or result in ("eof", "timeout", "truncated", "ok") or result.startswith("error:"):
        return None
    raw = bytes.fromhex(result)
    version, opcode, status, _, request_id, detail_length = struct.unpack_from(">BBBBIH", raw)
    if version != 1:
        return None
    detail = raw[10:10 + detail_length].decode("utf-8")
    return Reply(opcode, status, request_id, detail, raw[10 + detail_length:])


# Step constructors for client programs.
def connect(c: int = 0) -> dict:
    return {"do": "connect", "c": c}


def send(data: bytes, c: int = 0) -> dict:
    return {"do": "send", "c": c, "data": data.hex()}


def recv(c: int = 0, timeout: float = 5) -> dict:
    return {"do": "recv", "c": c, "timeout": timeout}


def close(c: int = 0) -> dict:
    return {"do": "close", "c": c}


def pause(seconds: float) -> dict:
    return {"do": "sleep", "seconds": seconds}


# ============================================================================================
# Orchestrator: users, server process, checks.
# ============================================================================================


class Results:
    """Collects PASS/FAIL lines."""

    def __init__(self) -> None:
        self.failures = 0

    def check(self, name: str, condition: bool, info: Any = "") -> bool:
        """Print PASS or FAIL for one expectation."""
        if condition:
            print(f"PASS {name}", flush=True)
        else:
            self.failures += 1
            print(f"FAIL {name}: {info}", flush=True)
        return condition


@dataclass(frozen=True)
class User:
    """How to become a test account with setpriv."""

    label: str
    setpriv: tuple[str, ...]


class Environment:
    """Temporary directory, test users, the client interpreter and the client script."""

    def __init__(self) -> None:
        self.base = tempfile.mkdtemp(prefix="confupdate-selfcheck-")
        os.chmod(self.base, 0o755)  # the test users must reach the socket and the client script
        self.targets = os.path.join(self.base, "targets")
        os.mkdir(self.targets, 0o755)
        self.socket = os.path.join(self.base, "confupdate.sock")
        self.client_script = os.path.join(self.base, "client.py")
        shutil.copyfile(os.path.abspath(__file__), self.client_script)
        os.chmod(self.client_script, 0o644)
        self.python = sys.executable
        writers = grp.getgrnam("confkit-writers").gr_gid
        member = pwd.getpwnam("confkit-member")
        stranger = pwd.getpwnam("confkit-stranger")
        self.writers_gid = writers

        def as_user(label: str, uid: int, gid: int, groups: str | None = None) -> User:
            if groups is None:
                group_args: tuple[str, ...] = ("--init-groups",)
            else:
                group_args = (f"--groups={groups}",) if groups else ("--clear-groups",)
            return User(label, ("setpriv", f"--reuid={uid}", f"--regid={gid}", *group_args))

        self.www = as_user("www-data", 33, 33)
        self.nobody = as_user("nobody", 65534, 65534)
        self.root = User("root", ())
        self.member = as_user("confkit-member", member.pw_uid, member.pw_gid)
        self.stranger = as_user("confkit-stranger", stranger.pw_uid, stranger.pw_gid)
        self.stranger_in_writers = as_user("stranger+writers", stranger.pw_uid, stranger.pw_gid, str(writers))
        many = ",".join(str(g) for g in [*range(20000, 20300), writers])
        self.stranger_many_groups = as_user("stranger+300 groups", stranger.pw_uid, stranger.pw_gid, many)
        self.stranger_primary_writers = as_user("stranger gid=writers", stranger.pw_uid, writers, "")
        self.stranger_overflow_gid = as_user("stranger gid=65534", stranger.pw_uid, 65534, "")
        self.nobody_in_writers = as_user("nobody+writers", 65534, 65534, str(writers))
        # The interpreter must be executable by the test users (a pyenv under /root is not).
        if self.run_client(self.www, [], check_python=True) is None:
            self.python = "/usr/bin/python3"

    def target(self, name: str) -> str:
        """Path of a target file."""
        return os.path.join(self.targets, name)

    def client_command(self, user: User) -> list[str]:
        """The command line that runs the client as user."""
        return [*user.setpriv, self.python, self.client_script, "--client"]

    def run_client(self, user: User, steps: list[dict], check_python: bool = False,
                   socket_path: str | None = None) -> list[str] | None:
        """Run steps as user and return the per-step results."""
        program = json.dumps({"socket": socket_path or self.socket, "steps": steps})
        completed = subprocess.run(self.client_command(user), input=program, capture_output=True, text=True,
                                   timeout=60)
        if completed.returncode != 0:
            if not check_python:
                print(f"client as {user.label} failed: {completed.stderr.strip()}", flush=True)
            return None
        return json.loads(completed.stdout)

    def start_client(self, user: User, steps: list[dict]) -> subprocess.Popen:
        """Start a client in the background; finish_client() collects its results."""
        process = subprocess.Popen(self.client_command(user), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        assert process.stdin is not None
        process.stdin.write(json.dumps({"socket": self.socket, "steps": steps}))
        process.stdin.close()
        return process

    @staticmethod
    def finish_client(process: subprocess.Popen) -> list[str]:
        """Wait for a background client and return its results."""
        assert process.stdout is not None
        output = process.stdout.read()
        process.wait(timeout=60)
        return json.loads(output) if output.strip() else []

    def replies(self, user: User, steps: list[dict]) -> list[Reply | None]:
        """Run steps and decode the results of the recv steps."""
        results = self.run_client(user, steps) or ["error:client"] * len(steps)
        return [parse_reply(r) for s, r in zip(steps, results) if s["do"] == "recv"]

    def one(self, user: User, datagram: bytes) -> Reply | None:
        """Connect, send one datagram, return the one reply."""
        return self.replies(user, [connect(), send(datagram), recv()])[0]

    def refused(self, user: User, datagram: bytes) -> tuple[Reply | None, str]:
        """Connect, send, and read what a refused peer sees: (the unsolicited reply, what follows it).

        Linux detail: when the server closes a SEQPACKET connection whose receive queue still holds
        our unread request, our next recv() fails once with ECONNRESET; the reply is still queued
        and the recv() after that returns it. So ECONNRESET results are skipped here.
        """
        results = self.run_client(user, [connect(), send(datagram), recv(timeout=3), recv(timeout=3),
                                         recv(timeout=3)]) or []
        observed = [x for x in results[2:] if x != "error:ECONNRESET"]
        return (parse_reply(observed[0]) if observed else None), (observed[1] if len(observed) > 1 else "none")


class ServerProcess:
    """The server under test, started as root with a configuration file."""

    def __init__(self, env: Environment, config: dict, name: str = "server", extra_env: dict | None = None,
                 command: list[str] | None = None):
        """Write the config and start; command may contain `{config}` (SPEC PROF-1 template)."""
        self.config_path = os.path.join(env.base, f"{name}.json")
        with open(self.config_path, "w", encoding="utf-8") as handle:
            json.dump(config, handle, indent=2)
        self.log_path = os.path.join(env.base, f"{name}.log")
        self._log = open(self.log_path, "wb")
        environment = dict(os.environ, **(extra_env or {}))
        template = command or [sys.executable, SERVER_SCRIPT, "--config", "{config}"]
        argv = [part.replace("{config}", self.config_path) for part in template]
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                        env=environment)

    def log(self) -> str:
        """Everything the server wrote so far."""
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 5) -> bool:
        """Wait until the log satisfies predicate (or the server exits)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.log()):
                return True
            if self.process.poll() is not None:
                return predicate(self.log())
            time.sleep(0.05)
        return False

    def wait_ready(self) -> bool:
        """Ready once it printed `listening on`."""
        return self.wait_for(lambda text: "listening on " in text)

    def wait_exit(self, timeout: float = 5) -> int | None:
        """Wait for the server to exit by itself; kill it and return None if it does not."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(signal.SIGKILL)
            return None
        finally:
            self._log.close()

    def fd_count(self) -> int:
        """Open descriptors of the server process."""
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int | None:
        """Send a signal and wait for the exit status (None if it did not exit)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        finally:
            self._log.close()


def base_config(env: Environment, **overrides: Any) -> dict:
    """The main configuration; keys deliberately in odd cases (SPEC CONF-1: case-insensitive)."""
    t = env.target
    config = {
        "confUPDATE": {
            "MaxRequestSize": MAX_REQUEST,
            "socket": {"PATH": env.socket, "owner": "root", "Group": "www-data", "Mode": "0666"},
            "Allow": {"users": ["www-data"], "Groups": ["confkit-writers", "nogroup"], "Uids": []},
            "Limits": {"IdleTimeoutSeconds": IDLE_SECONDS, "MaxConnections": TOTAL_CAP,
                       "MaxConnectionsPerUid": PER_UID_CAP, "ShutdownGraceSeconds": 5,
                       "ValidatorTimeoutSeconds": VALIDATOR_SECONDS},
            "Targets": [
                {"Name": "site", "Path": t("site.conf"), "Owner": "root", "Group": "www-data", "Mode": "0640"},
                {"Name": "fresh", "Path": t("fresh.conf")},
                {"Name": "small", "Path": t("small.conf"), "MaxSize": 10},
                {"Name": "big", "Path": t("big.conf"), "MaxSize": 100000},
                {"Name": "checked", "Path": t("checked.conf"), "Validator": [
                    "/bin/sh", "-c", 'if grep -q bad "$1"; then echo "rejected: bad word"; exit 3; fi',
                    "validator", "{file}"]},
                {"Name": "slow", "Path": t("slow.conf"), "Validator": ["/bin/sleep", "30"]},
                {"Name": "paused", "Path": t("paused.conf"), "Validator": ["/bin/sleep", "1.5"]},
                {"Name": "broken", "Path": t("broken.conf"), "Validator": ["/nonexistent/validator", "{file}"]},
                {"Name": "link", "Path": t("link.conf")},
                {"Name": "dir", "Path": t("dir.conf")},
            ],
        }
    }
    config["confUPDATE"].update(overrides)
    return config


def read(path: str) -> bytes | None:
    """A file's content, or None when absent."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def temp_files(env: Environment) -> list[str]:
    """Leftover temporary files in the targets directory (SPEC DUR-2)."""
    return [name for name in os.listdir(env.targets) if name.endswith(".tmp")]


# ============================================================================================
# The checks, grouped by spec section.
# ============================================================================================


def check_transport(r: Results, env: Environment) -> None:
    """TRANS-1, TRANS-2."""
    info = os.lstat(env.socket)
    r.check("TRANS-2 socket file mode is exactly 0666", stat.S_IMODE(info.st_mode) == 0o666, oct(info.st_mode))
    r.check("TRANS-2 socket file owner root, group www-data", (info.st_uid, info.st_gid) == (0, 33),
            (info.st_uid, info.st_gid))
    for kind, name in ((socket.SOCK_STREAM, "SOCK_STREAM"), (socket.SOCK_DGRAM, "SOCK_DGRAM")):
        with socket.socket(socket.AF_UNIX, kind) as probe:
            try:
                probe.connect(env.socket)
                refused = None
            except OSError as error:
                refused = error.errno
        r.check(f"TRANS-1 {name} connect is refused by the kernel",
                refused in (errno.EPROTOTYPE, errno.ECONNREFUSED), refused)


def check_hello(r: Results, env: Environment) -> None:
    """OP-1."""
    reply = env.one(env.www, request(HELLO, 77))
    ok = reply is not None and reply.status == OK and reply.opcode == 0x81 and reply.request_id == 77
    r.check("OP-1 HELLO from www-data is OK with opcode 0x81 and id echoed", ok, reply)
    if ok:
        body = reply.body
        version, limit = struct.unpack_from(">BI", body)
        name = body[6:6 + body[5]].decode()
        rest = body[6 + body[5]:]
        server_version = rest[1:1 + rest[0]].decode()
        r.check("OP-1 HELLO body: version 1, M, name, version",
                (version, limit, name, server_version, len(rest)) ==
                (1, MAX_REQUEST, "confupdate-python-example", "1.0", 1 + rest[0]),
                (version, limit, name, server_version))


def check_auth(r: Results, env: Environment) -> None:
    """AUTH-3..6."""
    for user in (env.nobody, env.stranger, env.root, env.nobody_in_writers, env.stranger_overflow_gid):
        reply, after = env.refused(user, request(HELLO, 5))
        r.check(f"AUTH-6 {user.label} gets unsolicited FORBIDDEN (0x80, id 0, no detail), then end of stream",
                reply is not None and (reply.opcode, reply.status, reply.request_id, reply.detail, reply.body) ==
                (0x80, FORBIDDEN, 0, "", b"") and after == "eof", (reply, after))
    for user in (env.member, env.stranger_in_writers, env.stranger_many_groups, env.stranger_primary_writers):
        reply = env.one(user, request(HELLO, 6))
        r.check(f"AUTH-3 {user.label} is allowed through a group", reply is not None and reply.status == OK, reply)
    # A denied peer's request is never read, let alone applied.
    before = read(env.target("site.conf"))
    reply, after = env.refused(env.nobody, replace(b"site", b"evil"))
    r.check("AUTH-6 denied peer's REPLACE is not applied; connection closed after FORBIDDEN",
            read(env.target("site.conf")) == before and reply is not None and reply.status == FORBIDDEN
            and after == "eof", (reply, after))


def check_replace(r: Results, env: Environment) -> None:
    """OP-2, OP-3, OP-4, TGT-1..3, DUR-1."""
    path = env.target("site.conf")
    with open(path, "wb") as handle:
        handle.write(b"old")
    os.chown(path, 65534, 65534)
    os.chmod(path, 0o666)
    content = b"alpha\0beta\n\xff"
    reply = env.one(env.www, replace(b"site", content, 9))
    r.check("OP-2 REPLACE is OK and returns SHA-256 of the content",
            reply is not None and reply.status == OK and reply.body == hashlib.sha256(content).digest()
            and reply.request_id == 9, reply)
    info = os.lstat(path)
    r.check("OP-2 content installed, binary-safe", read(path) == content)
    r.check("TGT-3 owner root, group www-data, mode 0640 whatever they were",
            (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (0, 33, 0o640),
            (info.st_uid, info.st_gid, oct(info.st_mode)))
    reply = env.one(env.member, get_version(b"site", 10))
    r.check("OP-3 GET_VERSION reports exists, size, version",
            reply is not None and reply.status == OK and
            reply.body == struct.pack(">BQ", 1, len(content)) + hashlib.sha256(content).digest(), reply)
    reply = env.one(env.www, get_version(b"fresh"))
    r.check("OP-3 GET_VERSION of an absent target: 0, 0, zero version",
            reply is not None and reply.status == OK and reply.body == bytes(41), reply)
    # Compare-and-set.
    reply = env.one(env.www, replace(b"site", b"lost", expected=b"\x11" * 32))
    r.check("OP-4 wrong expected version gives CONFLICT and changes nothing",
            reply is not None and reply.status == CONFLICT and read(path) == content, reply)
    reply = env.one(env.www, replace(b"site", b"won", expected=hashlib.sha256(content).digest()))
    r.check("OP-4 right expected version installs", reply is not None and reply.status == OK and read(path) == b"won",
            reply)
    replies = env.replies(env.www, [connect(), send(replace(b"fresh", b"first", 1, ZERO_VERSION)), recv(),
                                    send(replace(b"fresh", b"second", 2, ZERO_VERSION)), recv()])
    r.check("OP-4 zero expected version creates an absent target once, then CONFLICT",
            [x.status if x else None for x in replies] == [OK, CONFLICT] and read(env.target("fresh.conf")) == b"first",
            replies)
    # Unknown targets.
    before = sorted(os.listdir(env.targets))
    for name in (b"/etc/passwd", b"../site", b"SITE", b"site.conf", b" "):
        reply = env.one(env.www, replace(name, b"x"))
        r.check(f"TGT-1 name {name!r} is UNKNOWN_TARGET", reply is not None and reply.status == UNKNOWN_TARGET, reply)
    r.check("TGT-1 unknown targets created no file", sorted(os.listdir(env.targets)) == before)
    r.check("DUR-2 no temporary file left behind", not temp_files(env), temp_files(env))


def check_framing(r: Results, env: Environment) -> None:
    """FRAME-1, FRAME-3..9."""
    cases = [
        ("FRAME-6 3-byte datagram", b"\x01\x01\x00", (0x80, BAD_REQUEST, 0)),
        ("FRAME-6 non-zero flags", request(HELLO, 21, flags=1), (0x81, BAD_REQUEST, 21)),
        ("FRAME-6 name length 0", request(GET_VERSION, 22, b"\x00"), (0x83, BAD_REQUEST, 22)),
        ("FRAME-6 name longer than body", request(GET_VERSION, 23, b"\x09site"), (0x83, BAD_REQUEST, 23)),
        ("FRAME-6 name not UTF-8", request(GET_VERSION, 24, b"\x02\xc3\x28"), (0x83, BAD_REQUEST, 24)),
        ("FRAME-6 undefined REPLACE option bits", request(REPLACE, 25, b"\x04site\x02x"), (0x82, BAD_REQUEST, 25)),
        ("FRAME-6 REPLACE without options byte", request(REPLACE, 26, b"\x04site"), (0x82, BAD_REQUEST, 26)),
        ("FRAME-6 REPLACE truncated expected version", request(REPLACE, 27, b"\x04site\x01abc"),
         (0x82, BAD_REQUEST, 27)),
        ("FRAME-6 trailing bytes after HELLO", request(HELLO, 28, b"\x00"), (0x81, BAD_REQUEST, 28)),
        ("FRAME-6 trailing bytes after GET_VERSION", request(GET_VERSION, 29, b"\x04sitex"), (0x83, BAD_REQUEST, 29)),
        ("FRAME-7 version 2", request(HELLO, 30, version=2), (0x81, UNSUPPORTED_VERSION, 30)),
        ("FRAME-8 opcode 0x09", request(9, 31), (0x89, UNKNOWN_OPERATION, 31)),
        ("FRAME-4 datagram of M+1 bytes", replace(b"big", b"x" * (MAX_REQUEST + 1 - 13), 32),
         (0x82, TOO_LARGE, 32)),
    ]
    steps = [connect()]
    for _, datagram, _ in cases:
        steps += [send(datagram), recv()]
    steps += [send(request(HELLO, 99)), recv()]
    replies = env.replies(env.www, steps)
    for (label, _, expected), reply in zip(cases, replies):
        got = None if reply is None else (reply.opcode, reply.status, reply.request_id)
        r.check(f"{label} answered {expected}", got == expected, reply)
    unsupported = replies[[label for label, _, _ in cases].index("FRAME-7 version 2")]
    r.check("FRAME-7 UNSUPPORTED_VERSION body is one byte 1", unsupported is not None and unsupported.body == b"\x01",
            unsupported)
    r.check("FRAME-6/7/8 connection stays open after errors", replies[-1] is not None and replies[-1].status == OK,
            replies[-1])
    r.check("FRAME-4 oversize datagram applied nothing", read(env.target("big.conf")) is None)
    exact = replace(b"big", b"y" * (MAX_REQUEST - 13), 33)
    reply = env.one(env.www, exact)
    r.check("FRAME-4 datagram of exactly M bytes is accepted",
            len(exact) == MAX_REQUEST and reply is not None and reply.status == OK, reply)
    default_max = MAX_REQUEST - (8 + 1 + 255 + 1 + 32)
    replies = env.replies(env.www, [connect(), send(replace(b"fresh", b"z" * (default_max + 1))), recv(),
                                    send(replace(b"fresh", b"z" * default_max)), recv(),
                                    send(replace(b"small", b"0123456789A")), recv()])
    r.check("TGT-2 default MaxSize is M minus the largest REPLACE overhead; over it TOO_LARGE",
            [x.status if x else None for x in replies] == [TOO_LARGE, OK, TOO_LARGE], replies)
    results = env.run_client(env.www, [connect(), send(b""), recv(timeout=3)])
    r.check("FRAME-5 zero-length datagram: end of stream, no reply", results is not None and results[2] == "eof",
            results)
    # Pipelining: five requests, then five replies in order.
    batch = [request(HELLO, 101), get_version(b"site", 102), replace(b"nope", b"", 103),
             request(HELLO, 104, version=3), replace(b"small", b"ok", 105)]
    replies = env.replies(env.www, [connect(), *[send(d) for d in batch], *[recv() for _ in batch]])
    r.check("FRAME-1 pipelined requests answered in order with ids echoed",
            [(x.request_id, x.status) if x else None for x in replies] ==
            [(101, OK), (102, OK), (103, UNKNOWN_TARGET), (104, UNSUPPORTED_VERSION), (105, OK)], replies)
    # Garbage does not hurt the server (CONN-1).
    rng = random.Random(7)
    garbage = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))) for _ in range(200)]
    steps = [connect()]
    for datagram in garbage:
        steps += [send(datagram), recv()]
    replies = env.replies(env.www, steps)
    r.check("CONN-1 200 random datagrams each get one reply", all(x is not None for x in replies) and
            len(replies) == len(garbage), [x for x in replies if x is None][:3])
    reply = env.one(env.www, request(HELLO, 1))
    r.check("CONN-1 server still serves after garbage", reply is not None and reply.status == OK, reply)


def check_validators_and_safety(r: Results, env: Environment) -> None:
    """TGT-4, TGT-5, DUR-2."""
    path = env.target("checked.conf")
    reply = env.one(env.www, replace(b"checked", b"good content\n"))
    r.check("TGT-4 validator accepts good content", reply is not None and reply.status == OK and
            read(path) == b"good content\n", reply)
    reply = env.one(env.www, replace(b"checked", b"a bad line\n"))
    r.check("TGT-4 validator rejection gives VALIDATION_FAILED with status and output",
            reply is not None and reply.status == VALIDATION_FAILED and "3" in reply.detail and
            "rejected: bad word" in reply.detail, reply)
    r.check("TGT-4 rejected content leaves the target untouched", read(path) == b"good content\n")
    started = time.monotonic()
    reply = env.one(env.www, replace(b"slow", b"whatever"))
    elapsed = time.monotonic() - started
    r.check("TGT-4 validator timeout gives VALIDATION_FAILED within the timeout",
            reply is not None and reply.status == VALIDATION_FAILED and elapsed < VALIDATOR_SECONDS + 2
            and read(env.target("slow.conf")) is None, (reply, elapsed))
    reply = env.one(env.www, replace(b"broken", b"whatever"))
    r.check("TGT-4 validator that cannot start gives INTERNAL_ERROR",
            reply is not None and reply.status == INTERNAL_ERROR and read(env.target("broken.conf")) is None, reply)
    victim = os.path.join(env.base, "victim")
    with open(victim, "wb") as handle:
        handle.write(b"precious")
    os.symlink(victim, env.target("link.conf"))
    os.mkdir(env.target("dir.conf"))
    replies = env.replies(env.www, [connect(), send(replace(b"link", b"owned")), recv(), send(get_version(b"link")),
                                    recv(), send(replace(b"dir", b"x")), recv(), send(get_version(b"dir")), recv()])
    r.check("TGT-5 symlink or directory target: UNSAFE_TARGET for REPLACE and GET_VERSION",
            [x.status if x else None for x in replies] == [UNSAFE_TARGET] * 4, replies)
    r.check("TGT-5 the symlink and what it points to are untouched",
            os.path.islink(env.target("link.conf")) and read(victim) == b"precious")
    r.check("DUR-2 no temporary file left after failures", not temp_files(env), temp_files(env))


def check_concurrency(r: Results, env: Environment, server: ServerProcess) -> None:
    """DUR-4, DUR-5, CONN-2, CONN-3, CONN-4."""
    # DUR-5: the client leaves before the (slow) validator finishes; the update completes anyway.
    env.run_client(env.www, [connect(), send(replace(b"paused", b"finished anyway")), close()])
    deadline = time.monotonic() + 5
    while read(env.target("paused.conf")) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    r.check("DUR-5 update completes after the client disconnected", read(env.target("paused.conf")) == b"finished anyway")
    # DUR-4: concurrent writers of one target; the result is one whole content.
    contents = [bytes([65 + i]) * 3000 for i in range(4)]
    users = [env.www, env.www, env.member, env.member]
    processes = []
    for user, content in zip(users, contents):
        steps = [connect()]
        for n in range(15):
            steps += [send(replace(b"big", content, n)), recv()]
        processes.append(env.start_client(user, steps))
    outcomes = [env.finish_client(p) for p in processes]
    statuses = {parse_reply(x).status for o in outcomes for x in o if parse_reply(x)}
    r.check("DUR-4 concurrent REPLACEs all OK, final content is one whole content",
            statuses == {OK} and read(env.target("big.conf")) in contents and not temp_files(env),
            (statuses, temp_files(env)))
    # CONN-2: idle connection closed without a reply.
    started = time.monotonic()
    results = env.run_client(env.www, [connect(), send(request(HELLO, 1)), recv(), recv(timeout=IDLE_SECONDS + 4)])
    elapsed = time.monotonic() - started
    r.check("CONN-2 idle connection closed without a reply after the idle timeout",
            results is not None and results[3] == "eof" and IDLE_SECONDS - 0.5 < elapsed < IDLE_SECONDS + 3,
            (results, elapsed))
    # CONN-3: per-uid cap, then total cap.
    baseline = server.fd_count()
    hold = [connect(0), connect(1), connect(2)]
    hold += [x for i in range(3) for x in (send(request(HELLO, i), c=i), recv(c=i))] + [pause(2.0)]
    holder_www = env.start_client(env.www, hold)
    holder_member = env.start_client(env.member, hold)
    time.sleep(1.0)
    reply, _ = env.refused(env.www, request(HELLO, 1))
    r.check("CONN-3 connection over the per-uid cap gets unsolicited BUSY",
            reply is not None and (reply.opcode, reply.status, reply.request_id) == (0x80, BUSY, 0), reply)
    reply, _ = env.refused(env.stranger_in_writers, request(HELLO, 1))
    r.check("CONN-3 connection over the total cap gets unsolicited BUSY",
            reply is not None and (reply.opcode, reply.status, reply.request_id) == (0x80, BUSY, 0), reply)
    reply, _ = env.refused(env.nobody, request(HELLO, 1))
    r.check("CONN-3 denied peer still gets FORBIDDEN at the cap", reply is not None and reply.status == FORBIDDEN, reply)
    held = env.finish_client(holder_www) + env.finish_client(holder_member)
    served = [reply for reply in map(parse_reply, held) if reply is not None and reply.status == OK]
    r.check("CONN-3 held connections were served", len(served) == 6, held)
    reply = env.one(env.www, request(HELLO, 1))
    r.check("CONN-3 a place frees up when connections close", reply is not None and reply.status == OK, reply)
    time.sleep(0.3)
    r.check("CONN-4 descriptor count returns to its baseline", server.fd_count() == baseline,
            (baseline, server.fd_count()))


def check_audit(r: Results, env: Environment, server: ServerProcess) -> None:
    """AUDIT-1, AUDIT-2."""
    env.one(env.www, get_version(b'a"b\\c\nFAKE audit event=accept'))
    log = server.log()
    lines = log.splitlines()
    r.check("AUDIT-1 accept, reject, busy, request and close lines with pid/uid/gid",
            all(any(line.startswith(f"audit event={e} pid=") and " uid=" in line and " gid=" in line for line in lines)
                for e in ("accept", "reject", "busy", "request", "close")))
    r.check("AUDIT-1 request line carries op, target, size, status",
            any(line.startswith("audit event=request") and ' op=REPLACE target="site" size=' in line and
                line.endswith("status=OK") for line in lines))
    r.check("AUDIT-2 peer text is escaped and quoted; no forged line",
            'target="a\\x22b\\x5cc\\x0aFAKE audit event=accept"' in log and
            not any(line.startswith("FAKE") for line in lines))


def check_shutdown(r: Results, env: Environment, server: ServerProcess) -> None:
    """LIFE-1: in-flight request finishes, idle connection told SHUTTING_DOWN, socket removed, exit 0."""
    busy = env.start_client(env.www, [connect(), send(replace(b"paused", b"during shutdown", 41)), recv(), recv()])
    idle = env.start_client(env.member, [connect(), send(request(HELLO, 1)), recv(), recv()])
    accepted = server.log().count("audit event=accept") + 2
    server.wait_for(lambda text: text.count("audit event=accept") >= accepted)
    time.sleep(0.4)  # the validator (1.5 s) is now running
    started = time.monotonic()
    status = server.stop(signal.SIGTERM)
    elapsed = time.monotonic() - started
    busy_results, idle_results = env.finish_client(busy), env.finish_client(idle)
    busy_replies = [parse_reply(x) for x in busy_results[2:4]] + [None, None]
    first, then = busy_replies[0], busy_replies[1]
    r.check("LIFE-1 in-flight REPLACE finishes and its OK reply is sent",
            first is not None and first.status == OK and first.request_id == 41 and
            read(env.target("paused.conf")) == b"during shutdown", busy_results)
    r.check("LIFE-1 then SHUTTING_DOWN (unsolicited) on that connection",
            then is not None and (then.opcode, then.status, then.request_id) == (0x80, SHUTTING_DOWN, 0), busy_results)
    last = parse_reply(idle_results[3]) if len(idle_results) > 3 else None
    r.check("LIFE-1 idle connection gets SHUTTING_DOWN", last is not None and last.status == SHUTTING_DOWN, idle_results)
    r.check("LIFE-1 exit status 0 within the grace period", status == 0 and elapsed < 5 + 5, (status, elapsed))
    r.check("LIFE-1 socket file removed", not os.path.lexists(env.socket))


def check_startup_paths(r: Results, env: Environment) -> None:
    """TRANS-3, LIFE-2, PROF-3."""
    config = base_config(env)
    first = ServerProcess(env, config, "first")
    r.check("startup: first server ready", first.wait_ready(), first.log())
    inode = os.lstat(env.socket).st_ino
    second = ServerProcess(env, config, "second")
    code = second.wait_exit()
    r.check("TRANS-3 live server: second one exits non-zero naming the path",
            code not in (0, None) and env.socket in second.log(), (code, second.log()))
    reply = env.one(env.www, request(HELLO, 1))
    r.check("TRANS-3 live server's socket is undisturbed",
            os.lstat(env.socket).st_ino == inode and reply is not None and reply.status == OK, reply)
    first.process.kill()  # a crash: the socket file stays behind
    first.stop()
    r.check("LIFE-2 crashed server leaves its socket file", os.path.exists(env.socket))
    third = ServerProcess(env, config, "third")
    ready = third.wait_ready()
    reply = env.one(env.www, request(HELLO, 1))
    r.check("LIFE-2 restart over a stale socket works", ready and reply is not None and reply.status == OK, reply)
    r.check("LIFE-2 restarted server exits 0 on SIGINT", third.stop(signal.SIGINT) == 0)

    def occupied(label: str, make: Callable[[], None], check: Callable[[], bool]) -> None:
        make()
        server = ServerProcess(env, config, "occupied")
        code = server.wait_exit()
        r.check(f"TRANS-3 {label} at the socket path: exit non-zero, untouched",
                code not in (0, None) and check() and env.socket in server.log(), (code, server.log()))

    occupied("regular file", lambda: open(env.socket, "w").write("keep"), lambda: read(env.socket) == b"keep")
    os.unlink(env.socket)
    occupied("directory", lambda: os.mkdir(env.socket), lambda: os.path.isdir(env.socket))
    os.rmdir(env.socket)
    elsewhere = os.path.join(env.base, "elsewhere")
    occupied("symbolic link", lambda: os.symlink(elsewhere, env.socket),
             lambda: os.readlink(env.socket) == elsewhere and not os.path.exists(elsewhere))
    os.unlink(env.socket)


def check_config_errors(r: Results, env: Environment) -> None:
    """CONF-2, CONF-3, PROF-3: each bad value or unknown key stops the server with exit 2 and a message naming it."""
    good = base_config(env)["confUPDATE"]
    target = dict(good["Targets"][0])
    cases = [
        ("unknown user", {"Allow": {"Users": ["no-such-user-xyz"]}}, "no-such-user-xyz"),
        ("unknown group", {"Allow": {"Groups": ["no-such-group-xyz"]}}, "no-such-group-xyz"),
        ("malformed mode", {"Socket": {"Path": env.socket, "Mode": "0999"}}, "0999"),
        ("missing target directory", {"Targets": [dict(target, Path="/nonexistent-dir/x.conf")]}, "/nonexistent-dir"),
        ("duplicate target names", {"Targets": [target, target]}, "duplicate"),
        ("target name of 256 bytes", {"Targets": [dict(target, Name="n" * 256)]}, "Name"),
        ("M below 2048", {"MaxRequestSize": 1000}, "MaxRequestSize"),
        ("CONF-3 misspelt section Alow", {"Alow": {"Users": ["www-data"]}}, "Alow"),
        ("CONF-3 misspelt socket key Mdoe", {"Socket": {"Path": env.socket, "Mdoe": "0600"}}, "Mdoe"),
        ("CONF-3 unknown target key", {"Targets": [dict(target, Colour="blue")]}, "Colour"),
    ]
    for label, change, needle in cases:
        config = {"ConfUpdate": {**{k: v for k, v in good.items()}, **change}}
        started = time.monotonic()
        server = ServerProcess(env, config, "bad-config")
        code = server.wait_exit()
        r.check(f"CONF-2 {label}: exit 2 within 5 s, message names it",
                code == 2 and needle in server.log() and time.monotonic() - started < 5 and
                "listening" not in server.log() and not os.path.lexists(env.socket), (code, server.log()))


def check_activation(r: Results, env: Environment) -> None:
    """TRANS-5 via systemd-socket-activate (skipped with a note when the tool is missing)."""
    tool = shutil.which("systemd-socket-activate")
    if tool is None:
        print("NOTE TRANS-5 not checked: systemd-socket-activate is not installed", flush=True)
        return
    path = os.path.join(env.base, "activated.sock")
    config = base_config(env, Socket={"Path": path, "Mode": "0600"})
    command = [tool, "--seqpacket", "-l", path, sys.executable, SERVER_SCRIPT, "--config", "{config}"]
    activated = ServerProcess(env, config, "activated", command=command)
    deadline = time.monotonic() + 5
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    # systemd-socket-activate starts the service on the first connection; root is denied.
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as first:
        first.settimeout(5)
        first.connect(path)
        first.recv(64)
    os.chmod(path, 0o666)  # the activator's SocketMode=, not the server's business
    results = env.run_client(env.www, [connect(), send(request(HELLO, 3)), recv()], socket_path=path)
    reply = parse_reply(results[2]) if results else None
    r.check("TRANS-5 adopted socket serves HELLO", reply is not None and reply.status == OK, results)
    r.check("TRANS-5 adopted socket's mode not changed by the server",
            stat.S_IMODE(os.lstat(path).st_mode) == 0o666)
    code = activated.stop(signal.SIGTERM)
    r.check("TRANS-5 exit 0 and the activator's socket file is left in place", code == 0 and os.path.exists(path),
            (code, activated.log()))
    os.unlink(path)


def orchestrate() -> int:
    """Run every check; exit status 1 on any failure."""
    if os.geteuid() != 0:
        print("FAIL selfcheck must run as root (it starts the server and switches users with setpriv)")
        return 1
    try:
        env = Environment()
    except KeyError as error:
        print(f"FAIL test account missing ({error}); run scripts/setup-test-users.sh")
        return 1
    r = Results()
    server = None
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify_name = f"confupdate-selfcheck-{os.getpid()}"
    notify.bind("\0" + notify_name)
    notify.settimeout(5)
    try:
        server = ServerProcess(env, base_config(env), extra_env={"NOTIFY_SOCKET": "@" + notify_name})
        if not r.check("PROF-2 server prints `listening on PATH`", server.wait_ready(), server.log()):
            return 1
        try:
            message = notify.recv(256)
        except socket.timeout:
            message = b""
        r.check("PROF-2 READY=1 sent to an abstract NOTIFY_SOCKET", message == b"READY=1", message)
        check_transport(r, env)
        check_hello(r, env)
        check_auth(r, env)
        check_replace(r, env)
        check_framing(r, env)
        check_validators_and_safety(r, env)
        check_concurrency(r, env, server)
        check_audit(r, env, server)
        check_shutdown(r, env, server)
        check_startup_paths(r, env)
        check_config_errors(r, env)
        check_activation(r, env)
    finally:
        notify.close()
        if server is not None and server.process.poll() is None:
            server.stop(signal.SIGKILL)
        shutil.rmtree(env.base, ignore_errors=True)
    print(f"{'FAILED' if r.failures else 'ALL PASSED'}: {r.failures} failure(s)", flush=True)
    return 1 if r.failures else 0


if __name__ == "__main__":
    sys.exit(client_main() if sys.argv[1:] == ["--client"] else orchestrate())
