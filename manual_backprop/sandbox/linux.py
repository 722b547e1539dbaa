"""Linux isolation of a sandbox, over the system calls themselves (ctypes, no dependency).

Each function does one thing and says whether it worked; ``manual_backprop.sandbox.launch``
decides the order. The layers:

* **namespaces** (``unshare_namespaces``): a new PID namespace (the sandbox's first process is
  its init: when it ends, the kernel kills every process left in it, ``setsid()`` or not), an
  empty network namespace (no interface but a loopback that is down), a mount namespace (a
  small tmpfs for the sandbox's writable directory, nothing on the host's disk), IPC and UTS.
  As root this needs no user namespace; as another user a user namespace maps the user's own
  uid and gid.
* **an unprivileged user** (``drop_root``): as root, setgroups([]), gid and uid 65534
  ("nobody"); root ignores RLIMIT_NPROC and file permissions, nobody does not.
* **rlimits** (``set_limits``): processes, file size, CPU seconds, address space, no core.
* **Landlock** (``landlock``): what the sandbox may read (the Python installation, its own copy
  of the submission) and write (its own temporary directory); with ABI ≥ 4 no TCP bind or
  connect; with ABI ≥ 6 no signal to a process outside the sandbox and no abstract unix socket
  outside it.
* **seccomp** (``seccomp``, x86_64): sockets of the unix family only; no io_uring (which does
  not pass through seccomp), ptrace, process_vm_*, namespaces, mounts, bpf, keyrings, modules,
  kexec; clone3 answers ENOSYS so that glibc falls back to clone, whose namespace flags are
  refused.
* ``PR_SET_PDEATHSIG`` (``die_with_parent``) and ``PR_SET_CHILD_SUBREAPER`` (``subreaper``,
  where there is no PID namespace).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
from collections.abc import Iterable
from pathlib import Path

__all__ = ["SYSCALLS", "capabilities_dropped", "die_with_parent", "drop_capabilities",
           "drop_root", "expose", "kill_descendants", "landlock", "landlock_abi", "mount_private",
           "mount_tmpfs", "no_new_privileges", "seccomp", "set_limits", "subreaper",
           "unshare_namespaces"]

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

# x86_64 system call numbers (the only architecture with a seccomp filter here)
SYSCALLS = {
    "socket": 41, "socketpair": 53, "clone": 56, "ptrace": 101, "capset": 126,
    "pivot_root": 155, "chroot": 161, "acct": 163, "mount": 165, "umount2": 166,
    "swapon": 167, "swapoff": 168, "reboot": 169, "init_module": 175, "delete_module": 176,
    "kexec_load": 246, "add_key": 248, "request_key": 249, "keyctl": 250, "unshare": 272,
    "perf_event_open": 298, "fanotify_init": 300, "name_to_handle_at": 303,
    "open_by_handle_at": 304, "setns": 308, "process_vm_readv": 310, "process_vm_writev": 311,
    "finit_module": 313, "kexec_file_load": 320, "bpf": 321, "userfaultfd": 323,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428,
    "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
    "clone3": 435, "mount_setattr": 442,
    "landlock_create_ruleset": 444, "landlock_add_rule": 445, "landlock_restrict_self": 446,
}
_DENIED = ("ptrace", "pivot_root", "chroot", "acct", "mount", "umount2", "swapon", "swapoff",
           "reboot", "init_module", "delete_module", "kexec_load", "add_key", "request_key",
           "keyctl", "unshare", "perf_event_open", "fanotify_init", "name_to_handle_at",
           "open_by_handle_at", "setns", "process_vm_readv", "process_vm_writev",
           "finit_module", "kexec_file_load", "bpf", "userfaultfd", "io_uring_setup",
           "io_uring_enter", "io_uring_register", "open_tree", "move_mount", "fsopen",
           "fsconfig", "fsmount", "fspick", "mount_setattr")

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS = 0x00020000, 0x02000000, 0x04000000
CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (0x08000000, 0x10000000, 0x20000000,
                                                           0x40000000)
_NAMESPACE_FLAGS = (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER
                    | CLONE_NEWPID | CLONE_NEWNET)
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER, PR_SET_SECCOMP = 1, 38, 36, 22
NOBODY = 65534


def _check(result: int, what: str) -> int:
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")
    return result


# -- processes --------------------------------------------------------------------------------

def die_with_parent(signal_number: int = 9) -> None:
    """This process gets ``signal_number`` (SIGKILL) when its parent ends."""
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal_number, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")


def subreaper() -> None:
    """Orphaned descendants become this process's children (so that it can kill them)."""
    _check(_libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            found += [int(x) for x in text.split()]
    except OSError:
        pass
    return found


def kill_descendants(rounds: int = 100) -> None:
    """SIGKILL every child of this process and reap it, until there is none (a subreaper's
    orphans arrive as new children while it works); at most ``rounds`` rounds."""
    me = os.getpid()
    for _round in range(rounds):
        children = _children(me)
        if not children:
            break
        for pid in children:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        for _pid in children:
            try:
                os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break


def unshare_namespaces(user: bool) -> None:
    """New PID (for the next child), network, mount, IPC and UTS namespaces; with ``user``, a
    new user namespace too, mapping this process's uid and gid to themselves."""
    uid, gid = os.geteuid(), os.getegid()
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    _check(_libc.unshare(flags | (CLONE_NEWUSER if user else 0)), "unshare")
    if user:
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")


MS_NOSUID, MS_NODEV, MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 2, 4, 4096, 8192, 16384, 1 << 18


def mount_private() -> None:
    """Mounts made from now on stay in this mount namespace."""
    _check(_libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount(/, private)")


def mount_tmpfs(path: str, megabytes: int, uid: int, gid: int) -> None:
    """A tmpfs of ``megabytes`` at ``path`` (in this mount namespace), owned by uid:gid."""
    options = f"size={megabytes}m,mode=0700,uid={uid},gid={gid}".encode()
    _check(_libc.mount(b"tmpfs", os.fsencode(path), b"tmpfs", MS_NOSUID | MS_NODEV, options),
           f"mount(tmpfs, {path})")


def _blocked(path: str) -> str | None:
    """The outermost directory on the way to ``path`` that others may not search."""
    parts = Path(path).parts
    for i in range(1, len(parts)):
        ancestor = os.path.join(*parts[:i])
        if not os.stat(ancestor).st_mode & 0o001:
            return ancestor
    return None


def expose(paths: Iterable[str], staging: str) -> list[str]:
    """Make ``paths`` reachable to an unprivileged user in this mount namespace: each directory
    on their way that others may not search (``/root``, where pyenv installs Python) is
    covered by an empty tmpfs (mode 0755) in which only ``paths`` are bound back (moved from
    bind mounts staged in the directory ``staging``). Returns the directories covered; the
    rest of their contents is hidden from the sandbox."""
    groups: dict[str, list[str]] = {}
    paths = sorted({os.path.normpath(p) for p in paths if os.path.exists(p)})
    outermost = [p for p in paths
                 if not any(p != q and p.startswith(q.rstrip("/") + "/") for q in paths)]
    for path in outermost:
        blocked = _blocked(path)
        if blocked is not None:
            groups.setdefault(blocked, []).append(path)
    for n, (ancestor, inside) in enumerate(sorted(groups.items())):
        staged = []
        for i, path in enumerate(inside):
            stage = os.path.join(staging, f"expose-{n}-{i}")
            if os.path.isdir(path):
                os.mkdir(stage)
            else:
                os.close(os.open(stage, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            _check(_libc.mount(os.fsencode(path), os.fsencode(stage), None, MS_BIND | MS_REC,
                               None), f"mount(bind {path})")
            staged.append((stage, path))
        _check(_libc.mount(b"tmpfs", os.fsencode(ancestor), b"tmpfs", MS_NOSUID | MS_NODEV,
                           b"size=1m,mode=0755"), f"mount(tmpfs, {ancestor})")
        for stage, path in staged:
            if os.path.isdir(stage):
                os.makedirs(path)
            else:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            _check(_libc.mount(os.fsencode(stage), os.fsencode(path), None, MS_MOVE, None),
                   f"mount(move {path})")
            if os.path.isdir(stage):
                os.rmdir(stage)
            else:
                os.unlink(stage)
    return sorted(groups)


def drop_root(uid: int = NOBODY, gid: int = NOBODY) -> None:
    """Root becomes ``uid``:``gid`` without supplementary groups (its capabilities go)."""
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> None:
    """Empty effective, permitted and inheritable capability sets (capset, version 3)."""
    header = _CapHeader(0x20080522, 0)
    data = (_CapData * 2)()
    _check(_libc.syscall(SYSCALLS["capset"], ctypes.byref(header), ctypes.byref(data)),
           "capset")


def capabilities_dropped() -> bool:
    """Whether this process's effective capability set is empty (/proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return int(line.split()[1], 16) == 0
    return False


def no_new_privileges() -> None:
    """No exec gives more privileges (setuid files, file capabilities); needed by seccomp."""
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")


def set_limits(*, processes: int, file_mb: int, cpu_seconds: int, memory_mb: int,
               open_files: int = 256) -> None:
    """RLIMIT_NPROC, _FSIZE, _CPU (soft; SIGKILL one second later), _AS, _NOFILE; no core."""
    import resource

    limits = {resource.RLIMIT_NPROC: (processes, processes),
              resource.RLIMIT_FSIZE: (file_mb << 20, file_mb << 20),
              resource.RLIMIT_CPU: (cpu_seconds, cpu_seconds + 1),
              resource.RLIMIT_AS: (memory_mb << 20, memory_mb << 20),
              resource.RLIMIT_NOFILE: (open_files, open_files),
              resource.RLIMIT_CORE: (0, 0)}
    for which, (soft, hard) in limits.items():
        _soft, old_hard = resource.getrlimit(which)
        if old_hard != resource.RLIM_INFINITY:
            hard = min(hard, old_hard)
            soft = min(soft, hard)
        resource.setrlimit(which, (soft, hard))


# -- Landlock ---------------------------------------------------------------------------------

_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1, 2, 4, 8
_FS_ALL_V1 = (1 << 13) - 1
_FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1, 2
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1, 2
_READ = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR
_FILE_RIGHTS = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV


def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0: none, or disabled)."""
    version = _libc.syscall(SYSCALLS["landlock_create_ruleset"], None, 0, 1)
    return max(int(version), 0)


def _fs_rights(abi: int) -> int:
    rights = _FS_ALL_V1
    if abi >= 2:
        rights |= _FS_REFER
    if abi >= 3:
        rights |= _FS_TRUNCATE
    if abi >= 5:
        rights |= _FS_IOCTL_DEV
    return rights


def landlock(read: Iterable[str], write: Iterable[str]) -> int:
    """Restrict this process (and what it starts) to reading ``read`` and reading and writing
    ``write`` (paths that do not exist are left out), no TCP (ABI ≥ 4), no signal or abstract
    unix socket beyond itself (ABI ≥ 6). Returns the ABI used (0: Landlock is missing, nothing
    was done)."""
    abi = landlock_abi()
    if abi == 0:
        return 0
    handled = _fs_rights(abi)
    attr = struct.pack("QQQ", handled, (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
                       (_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0)
    size = 8 if abi < 4 else (16 if abi < 6 else 24)
    buffer = ctypes.create_string_buffer(attr[:size], size)
    ruleset = _check(_libc.syscall(SYSCALLS["landlock_create_ruleset"], buffer, size, 0),
                     "landlock_create_ruleset")
    try:
        for paths, rights in ((read, _READ), (write, handled)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    allowed = rights & handled
                    if not os.path.isdir(path):
                        allowed &= _FILE_RIGHTS
                    rule = struct.pack("=Qi", allowed, fd)      # landlock_path_beneath_attr
                    rule_buffer = ctypes.create_string_buffer(rule, len(rule))
                    _check(_libc.syscall(SYSCALLS["landlock_add_rule"], ruleset, 1,
                                         rule_buffer, 0), f"landlock_add_rule({path})")
                finally:
                    os.close(fd)
        no_new_privileges()
        _check(_libc.syscall(SYSCALLS["landlock_restrict_self"], ruleset, 0),
               "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi


# -- seccomp ----------------------------------------------------------------------------------

_LD_W_ABS, _JEQ_K, _JGE_K, _JSET_K, _RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
_RET_ALLOW, _RET_ERRNO, _RET_KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_BIT = 0x40000000
_AF_UNIX = 1


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def _filter() -> bytes:
    """The BPF program: right architecture, no x32; the denied calls EPERM; socket and
    socketpair of another family than AF_UNIX EAFNOSUPPORT; clone with a namespace flag EPERM;
    clone3 ENOSYS; everything else allowed."""
    allow = _instruction(_RET_K, 0, 0, _RET_ALLOW)
    eperm = _instruction(_RET_K, 0, 0, _RET_ERRNO | errno.EPERM)
    program = [_instruction(_LD_W_ABS, 0, 0, 4),                   # arch
               _instruction(_JEQ_K, 1, 0, _AUDIT_ARCH_X86_64),
               _instruction(_RET_K, 0, 0, _RET_KILL_PROCESS),
               _instruction(_LD_W_ABS, 0, 0, 0),                   # nr
               _instruction(_JGE_K, 0, 1, _X32_BIT),
               _instruction(_RET_K, 0, 0, _RET_ERRNO | errno.ENOSYS)]
    for name in _DENIED:
        program += [_instruction(_JEQ_K, 0, 1, SYSCALLS[name]), eperm]
    program += [_instruction(_JEQ_K, 0, 1, SYSCALLS["clone3"]),
                _instruction(_RET_K, 0, 0, _RET_ERRNO | errno.ENOSYS)]
    for name in ("socket", "socketpair"):
        program += [_instruction(_JEQ_K, 0, 4, SYSCALLS[name]),
                    _instruction(_LD_W_ABS, 0, 0, 16),             # args[0], low 32 bits
                    _instruction(_JEQ_K, 0, 1, _AF_UNIX),
                    allow,
                    _instruction(_RET_K, 0, 0, _RET_ERRNO | errno.EAFNOSUPPORT)]
    program += [_instruction(_JEQ_K, 0, 4, SYSCALLS["clone"]),
                _instruction(_LD_W_ABS, 0, 0, 16),                 # flags, low 32 bits
                _instruction(_JSET_K, 0, 1, _NAMESPACE_FLAGS),
                eperm,
                allow,
                allow]
    return b"".join(program)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def seccomp() -> bool:
    """Install the filter of ``_filter`` (x86_64 only; False elsewhere, nothing done)."""
    if platform.machine() != "x86_64":
        return False
    code = _filter()
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    no_new_privileges()
    _check(_libc.prctl(PR_SET_SECCOMP, 2, ctypes.byref(program), 0, 0),
           "prctl(PR_SET_SECCOMP)")
    return True
