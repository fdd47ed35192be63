#!/usr/bin/env python3
"""Deliberately faulty ConfUpdate servers: TEST ASSETS for the kit's detection test (never shipped).

Each fault is the correct Python example (examples/python-server/confupdate_server.py), imported from
its path, with exactly ONE behaviour replaced: each fault names the seams (functions, methods, constants)
it replaces, replace_seam() (fault_registry.py) refuses anything else and never creates an attribute, and a
seam the example no longer has stops the launcher (exit 2) instead of silently running a correct server. The detection test
(tests/ConfUpdate.Harness.Tests/Detection/) runs the kit against each and requires that a failed
scenario cites the SPEC requirement the fault breaks; tests/faulty-servers/faults.yaml lists them.

Usage:  faulty_server.py --fault NAME --config FILE     faulty_server.py --list     faulty_server.py --check
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import socket
import stat
import sys
import threading
import time
from typing import Any, Callable

HERE = os.path.dirname(os.path.abspath(__file__))
# CONFUPDATE_EXAMPLE points the launcher at another copy of the example (the seam test renames one in it).
EXAMPLE = os.environ.get("CONFUPDATE_EXAMPLE") or os.path.join(HERE, "..", "..", "examples", "python-server", "confupdate_server.py")


def load_example() -> Any:
    """Import the correct example server as a module from its path."""
    spec = importlib.util.spec_from_file_location("confupdate_server", EXAMPLE)
    assert spec is not None and spec.loader is not None, f"cannot load {EXAMPLE}"
    module = importlib.util.module_from_spec(spec)
    sys.modules["confupdate_server"] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


cu = load_example()
from fault_registry import FAULTS, applying, check_seams, fault, replace_seam, use_example  # noqa: E402

use_example(cu)


def patch_config(**changes: Any) -> None:
    """Load the configuration as usual, then override some values (a fault that ignores a limit)."""
    original = cu.load_config
    replace_seam("load_config", lambda path: dataclasses.replace(original(path), **changes))


# ---- authentication ------------------------------------------------------------------------

@fault("no-uid-check", seams=("AccessPolicy.allows",))
def _no_uid_check() -> None:
    # Every peer is served. Breaks AUTH-3, AUTH-6.
    replace_seam("AccessPolicy.allows", lambda self, peer: True)


@fault("ucred-wrong-field", seams=("read_peer",))
def _ucred_wrong_field() -> None:
    # Takes the uid from the pid field of struct ucred. Breaks AUTH-1, AUTH-2.
    original = cu.read_peer

    def read_peer(conn: socket.socket) -> Any:
        peer = original(conn)
        return None if peer is None else dataclasses.replace(peer, uid=peer.pid)
    replace_seam("read_peer", read_peer)


@fault("ucred-64bit", seams=("UCRED",))
def _ucred_64bit() -> None:
    # The seed's bug: struct ucred unpacked as three C longs (24 bytes on 64-bit). The 12 bytes the
    # kernel returns never match, so every peer is refused (or garbage is read). Breaks AUTH-2.
    replace_seam("UCRED", cu.struct.Struct("@LLL"))


@fault("serves-root-and-nobody", seams=("AccessPolicy.allows",))
def _serves_root_and_nobody() -> None:
    # Admits uid 0 and uid 65534 without their being listed. Breaks AUTH-5.
    original = cu.AccessPolicy.allows
    replace_seam("AccessPolicy.allows", lambda self, peer: peer.uid in (cu.ROOT_UID, cu.OVERFLOW_ID) or original(self, peer))


@fault("silent-forbidden", seams=("Server._refuse",))
def _silent_forbidden() -> None:
    # Closes a denied peer's connection without the FORBIDDEN reply. Breaks AUTH-6.
    original = cu.Server._refuse

    def refuse(conn: socket.socket, status: Any) -> None:
        if status == cu.Status.FORBIDDEN:
            conn.close()
            return
        original(conn, status)
    replace_seam("Server._refuse", staticmethod(refuse))


# ---- transport -----------------------------------------------------------------------------

@fault("stream-socket", seams=("LISTEN_SOCKET_TYPE",))
def _stream_socket() -> None:
    # Listens with SOCK_STREAM instead of SOCK_SEQPACKET. Breaks TRANS-1.
    replace_seam("LISTEN_SOCKET_TYPE", socket.SOCK_STREAM)


@fault("socket-too-open", seams=("set_socket_file_attributes",))
def _socket_too_open() -> None:
    # Leaves the socket file world-accessible whatever the configured mode. Breaks TRANS-2.
    original = cu.set_socket_file_attributes

    def set_attributes(path: str, uid: int, gid: int, mode: int) -> tuple[int, int]:
        return original(path, uid, gid, mode | 0o777)
    replace_seam("set_socket_file_attributes", set_attributes)


@fault("removes-anything-at-socket-path", seams=("clear_socket_path",))
def _removes_anything() -> None:
    # The seed's os.remove(path): deletes whatever is at the socket path at start. Breaks TRANS-3.
    def clear(path: str) -> None:
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return
        if stat.S_ISDIR(info.st_mode):
            os.rmdir(path)
        else:
            os.unlink(path)
    replace_seam("clear_socket_path", clear)


# ---- framing -------------------------------------------------------------------------------

@fault("truncating-4096-buffer", seams=("receive_datagram",))
def _truncating_buffer() -> None:
    # Receives into a fixed 4096-byte buffer without MSG_TRUNC and applies what arrived. Breaks FRAME-4.
    def receive(conn: socket.socket, buffer: bytearray) -> int:
        return conn.recv_into(buffer, 4096, socket.MSG_DONTWAIT)
    replace_seam("receive_datagram", receive)


@fault("zero-length-bad-request", seams=("ends_connection",))
def _zero_length_bad_request() -> None:
    # Answers a zero-length receive with BAD_REQUEST and keeps the connection. Breaks FRAME-5.
    replace_seam("ends_connection", lambda length: False)


@fault("reorders-pipelined-replies", seams=("Server._send",))
def _reorders_replies() -> None:
    # Holds a reply back while another request is queued, so pipelined replies swap. Breaks FRAME-1.
    held: dict[int, bytes] = {}
    original = cu.Server._send

    def send(self: Any, conn: socket.socket, datagram: bytes) -> bool:
        key = conn.fileno()
        try:
            pending = len(conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)) > 0
        except OSError:
            pending = False
        if pending and key not in held:
            held[key] = datagram
            return True
        ok = original(self, conn, datagram)
        if key in held:
            ok = original(self, conn, held.pop(key)) and ok
        return ok
    replace_seam("Server._send", send)


@fault("merges-datagrams", seams=("receive_datagram",))
def _merges_datagrams() -> None:
    # Reads like a byte stream: datagrams queued together become one request. Breaks FRAME-1.
    def receive(conn: socket.socket, buffer: bytearray) -> int:
        length = conn.recv_into(buffer, len(buffer), socket.MSG_TRUNC | socket.MSG_DONTWAIT)
        if length == 0:
            return 0
        time.sleep(0.05)  # let a pipelined burst arrive, as a stream reader's buffer would
        total = min(length, len(buffer))
        while total < len(buffer):
            try:
                more = conn.recv_into(memoryview(buffer)[total:], len(buffer) - total, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                break
            if more == 0:
                break
            total += more
        return total
    replace_seam("receive_datagram", receive)


@fault("oversized-closes-connection", seams=("RequestHandler.handle",))
def _oversized_closes() -> None:
    # Closes the connection instead of answering an oversized request with TOO_LARGE. Breaks FRAME-4.
    original = cu.RequestHandler.handle

    def handle(self: Any, datagram: bytes, length: int) -> Any:
        if length > self._config.max_request_size:
            raise ConnectionAbortedError("request too large; closing")
        return original(self, datagram, length)
    replace_seam("RequestHandler.handle", handle)


@fault("bad-request-closes-connection", seams=("RequestHandler.handle",))
def _bad_request_closes() -> None:
    # Closes the connection after a malformed request instead of answering BAD_REQUEST. Breaks FRAME-6.
    original = cu.RequestHandler.handle

    def handle(self: Any, datagram: bytes, length: int) -> Any:
        result = original(self, datagram, length)
        if result[2].status == cu.Status.BAD_REQUEST:
            raise ConnectionAbortedError("malformed request; closing")
        return result
    replace_seam("RequestHandler.handle", handle)


# ---- targets and durability ----------------------------------------------------------------

@fault("write-in-place", seams=("install",))
def _write_in_place() -> None:
    # Validates a temp copy, then truncates and rewrites the target itself. Breaks DUR-1, DUR-3.
    def install(directory: Any, target: Any, content: bytes, validators: Any) -> None:
        if target.validator:
            temporary, fd = cu.create_temporary(directory, target)
            try:
                cu.write_all(fd, content)
                validators.run(target.validator, os.path.join(directory.path, temporary))
            finally:
                os.close(fd)
                os.unlink(temporary, dir_fd=directory.fd)
        fd = os.open(target.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            half = len(content) // 2
            cu.write_all(fd, content[:half])
            time.sleep(1.0)  # deterministic: a reader in this 1 s window sees a partial file
            cu.write_all(fd, content[half:])
            os.fchown(fd, target.uid, target.gid)
            os.fchmod(fd, target.mode)
            os.fsync(fd)
        finally:
            os.close(fd)
    replace_seam("install", install)


@fault("ok-before-rename", seams=("install",))
def _ok_before_rename() -> None:
    # Replies OK, then renames the content into place 300 ms later. Breaks OP-2, DUR-1.
    def install(directory: Any, target: Any, content: bytes, validators: Any) -> None:
        name, fd = cu.create_temporary(directory, target)
        temporary = os.path.join(directory.path, name)
        try:
            cu.write_all(fd, content)
            if target.validator:
                validators.run(target.validator, temporary)
            os.fchown(fd, target.uid, target.gid)
            os.fchmod(fd, target.mode)
            os.fsync(fd)
        except BaseException:
            os.unlink(temporary)
            raise
        finally:
            os.close(fd)

        def finish() -> None:
            time.sleep(0.3)
            os.rename(temporary, target.path)
        threading.Thread(target=finish, daemon=True).start()
    replace_seam("install", install)


@fault("temp-file-left-behind", seams=("ValidatorRunner.run",))
def _temp_file_left() -> None:
    # Does not remove its temporary file when the validator rejects the content. Breaks DUR-2.
    original = cu.ValidatorRunner.run

    def run(self: Any, template: tuple[str, ...], candidate: str) -> None:
        try:
            original(self, template, candidate)
        except cu.RequestFailed:
            # Keep the rejected candidate: a hard link under another temp name outlives the request.
            os.link(candidate, candidate[:-len(".tmp")] + ".kept.tmp")
            raise
    replace_seam("ValidatorRunner.run", run)


@fault("skips-validator", seams=("ValidatorRunner.run",))
def _skips_validator() -> None:
    # Installs without running the target's validator. Breaks TGT-4.
    replace_seam("ValidatorRunner.run", lambda self, template, candidate: None)


@fault("follows-symlink", seams=("RequestHandler._lookup",))
def _follows_symlink() -> None:
    # Resolves the target path through symbolic links and writes where they point. Breaks TGT-5.
    original = cu.RequestHandler._lookup

    def lookup(self: Any, raw_name: bytes) -> Any:
        target = original(self, raw_name)
        return dataclasses.replace(target, path=os.path.realpath(target.path))
    replace_seam("RequestHandler._lookup", lookup)


@fault("path-as-target", seams=("RequestHandler._lookup",))
def _path_as_target() -> None:
    # Accepts a file path (inside a configured target's directory, to stay harmless) as a target
    # name. Breaks TGT-1.
    original = cu.RequestHandler._lookup

    def lookup(self: Any, raw_name: bytes) -> Any:
        name = cu.decode_name(raw_name)
        if "/" in name:
            for target in self._config.targets.values():
                directory = os.path.dirname(target.path)
                path = os.path.normpath(os.path.join(directory, name))
                if os.path.dirname(path) == directory:
                    self._locks.setdefault(name, threading.Lock())
                    return dataclasses.replace(target, name=name, path=path, validator=None)
        return original(self, raw_name)
    replace_seam("RequestHandler._lookup", lookup)


@fault("wrong-target-mode", seams=("install",))
def _wrong_target_mode() -> None:
    # Leaves installed targets world-readable and writable (0666) instead of the configured mode. Breaks TGT-3.
    original = cu.install

    def install(directory: Any, target: Any, content: bytes, validators: Any) -> None:
        original(directory, dataclasses.replace(target, mode=0o666), content, validators)
    replace_seam("install", install)


@fault("no-compare-and-set", seams=("RequestHandler._replace",))
def _no_compare_and_set() -> None:
    # Ignores the expected version of a REPLACE and installs anyway. Breaks OP-4.
    original = cu.RequestHandler._replace

    def replace(self: Any, body: bytes) -> Any:
        try:
            _, offset = cu.parse_name(body, 0)
        except cu.RequestFailed:
            return original(self, body)
        if offset < len(body) and body[offset] == cu.OPTION_EXPECTED_VERSION \
                and len(body) >= offset + 1 + cu.VERSION_SIZE:
            body = body[:offset] + b"\0" + body[offset + 1 + cu.VERSION_SIZE:]
        return original(self, body)
    replace_seam("RequestHandler._replace", replace)


@fault("no-temp-recovery", seams=("recover_temporary_files",))
def _no_temp_recovery() -> None:
    # Never removes a predecessor's leftover temporary files at start. Breaks DUR-6.
    replace_seam("recover_temporary_files", lambda targets, audit: None)


@fault("follows-directory-link", seams=("TargetDirectory.__init__",))
def _follows_directory_link() -> None:
    # Opens the target's directory by its path, following symbolic links on the way. Breaks TGT-6.
    original = cu.TargetDirectory.__init__

    def init(self: Any, path: str) -> None:
        original(self, os.path.realpath(path))
    replace_seam("TargetDirectory.__init__", init)


# ---- connections and lifecycle -------------------------------------------------------------

@fault("dies-on-early-disconnect", seams=("Server._send",))
def _dies_on_disconnect() -> None:
    # Exits when a reply cannot be sent because the client already left. Breaks CONN-1, DUR-5.
    original = cu.Server._send

    def send(self: Any, conn: socket.socket, datagram: bytes) -> bool:
        if not original(self, conn, datagram):
            os._exit(1)
        return True
    replace_seam("Server._send", send)


@fault("slow-rejection", seams=("Server._refuse",))
def _slow_rejection() -> None:
    # Takes 50 ms of the accept loop to refuse each denied peer, so a denied flood starves allowed
    # connects. Replies are conformant, only late: the stress attack check catches it. Breaks AUTH-6, CONN-1.
    original = cu.Server._refuse

    def refuse(conn: socket.socket, status: Any) -> None:
        time.sleep(0.05)
        original(conn, status)
    replace_seam("Server._refuse", staticmethod(refuse))


@fault("silent-grace-expiry", seams=("ConnectionTable.abandon_all",))
def _silent_grace_expiry() -> None:
    # When the grace period ends, shuts connections down without SHUTTING_DOWN. Breaks LIFE-3.
    def abandon_all(self: Any, last_word: bytes) -> None:
        with self._condition:
            remaining = list(self._connections)
        for conn in remaining:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    replace_seam("ConnectionTable.abandon_all", abandon_all)


@fault("leaks-fd-per-connection", seams=("Server._serve_connection",))
def _leaks_fd() -> None:
    # Opens a descriptor per admitted connection and never closes it. Breaks CONN-4.
    original = cu.Server._serve_connection

    def serve(self: Any, conn: socket.socket, peer: Any) -> None:
        os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)  # leaked on purpose
        original(self, conn, peer)
    replace_seam("Server._serve_connection", serve)


@fault("no-idle-timeout", seams=("load_config",))
def _no_idle_timeout() -> None:
    # Never closes idle connections. Breaks CONN-2.
    patch_config(idle_timeout=3600.0)


@fault("no-connection-cap", seams=("load_config",))
def _no_connection_cap() -> None:
    # Ignores the configured connection caps. Breaks CONN-3.
    patch_config(max_connections=1_000_000, max_connections_per_uid=1_000_000)


@fault("no-audit", seams=("AuditLog.event",))
def _no_audit() -> None:
    # Writes no audit lines. Breaks AUDIT-1.
    replace_seam("AuditLog.event", lambda self, event, peer, **fields: None)


@fault("unescaped-audit", seams=("escape_peer_text",))
def _unescaped_audit() -> None:
    # Logs peer text (target names) raw, so a peer can forge a log line. Breaks AUDIT-2.
    replace_seam("escape_peer_text", lambda data: data.decode("latin-1"))


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the Python example server with one deliberate fault.")
    parser.add_argument("--fault", choices=sorted(FAULTS))
    parser.add_argument("--config")
    parser.add_argument("--list", action="store_true", help="print the fault names and exit")
    parser.add_argument("--check", action="store_true", help="check that every fault's seams exist in the example, and exit")
    args = parser.parse_args()
    if args.list:
        print("\n".join(sorted(FAULTS)))
        return 0
    problems = check_seams()
    if args.check or problems:
        for problem in problems:
            print(f"faulty_server.py: {problem}; the fault would be disarmed", file=sys.stderr)
        if not problems:
            print(f"{len(FAULTS)} faults, every seam present")
        return 2 if problems else 0
    if not args.fault or not args.config:
        parser.error("--fault and --config are required")
    with applying(args.fault):
        FAULTS[args.fault]()
    return cu.main(["--config", args.config])


if __name__ == "__main__":
    sys.exit(main())
