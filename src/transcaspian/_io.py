"""Atomic output: one file (temporary file in the same folder, then rename) and a set of files
(a staging folder swapped in with one atomic exchange, :func:`write_output_set`)."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    On any error the temporary file is removed and ``path`` is left as it was. A folder that
    cannot be created or written raises :class:`OutputError` (one line).
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write output ({exc.strerror or exc})") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write output ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file + :func:`os.replace`).

    Raises
    ------
    OutputError
        The folder cannot be created or the file cannot be written (one line).
    """
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Output sets: several files that must change together
#
# A run writes a SET of files (report, JSON, exports) that must never be a mix of two runs.
# The whole set is written into a hidden staging folder beside the output folder and then
# swapped in with ONE atomic rename:
#
# * ``out`` does not exist yet: ``rename(staging, out)``.
# * ``out`` exists: exchange the two names atomically — ``renameat2(RENAME_EXCHANGE)`` on Linux
#   (kernel ≥ 3.15, glibc ≥ 2.28), ``renamex_np(RENAME_SWAP)`` on macOS — then delete the
#   staging folder, which now holds the old set. ``out`` stays a real folder (no symlink
#   the user must know about), and at every instant it holds one complete set: a kill before
#   the exchange leaves the old set, a kill after it the new one.
# * Without an exchange call (other systems, file systems that refuse it) the swap takes two
#   renames, ``out → .old``, ``.ready → out``, with a gap of microseconds between them in which
#   ``out`` is missing; the next run finishes the swap from the ``.ready`` folder.
#
# A plain ``os.replace`` of a folder onto a non-empty folder fails on POSIX, hence the exchange.
# Leftovers (the hidden ``.<name>.staging-<pid>-…``/``.old-``/``.ready-`` folders beside
# ``out``) of dead processes are removed by the next run; the user's folder never holds a
# temporary file. No well-kept library does a directory-set swap (``atomicwrites`` and the like
# handle single files), so this is written out here.

_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h
_AT_FDCWD = -100
_NOT_SUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False if this system or file system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    fa, fb = os.fsencode(a), os.fsencode(b)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        fn = libc.renameat2
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        rc = fn(_AT_FDCWD, fa, _AT_FDCWD, fb, _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        fn = libc.renamex_np
        fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        rc = fn(fa, fb, _RENAME_SWAP)
    else:
        return False
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in _NOT_SUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _leftovers(out: Path) -> list[tuple[str, int, Path]]:
    """(kind, pid, path) of the hidden staging/old/ready folders of ``out``."""
    found = []
    prefix = f".{out.name}."
    with contextlib.suppress(OSError):
        for p in out.parent.iterdir():
            if not p.name.startswith(prefix):
                continue
            kind, _, rest = p.name[len(prefix) :].partition("-")
            pid = rest.partition("-")[0]
            if kind in ("staging", "old", "ready") and pid.isdigit():
                found.append((kind, int(pid), p))
    return found


def clean_output_leftovers(out: str | os.PathLike[str]) -> None:
    """Finish or undo a swap a killed run left half-done; remove its hidden folders.

    A ``.ready`` folder holds a complete new set; if ``out`` is missing it becomes ``out``,
    else (or an ``.old`` folder when no set is ready) it restores ``out``. Folders of live
    processes (another run writing into the same place) are left alone.
    """
    target = Path(out)
    dead = [(k, p) for k, pid, p in _leftovers(target) if not _pid_alive(pid)]
    for wanted in ("ready", "old"):
        if not target.exists():
            for kind, p in dead:
                if kind == wanted and p.exists():
                    with contextlib.suppress(OSError):
                        os.rename(p, target)
                        break
    for _, p in dead:
        if p.exists():
            shutil.rmtree(p, ignore_errors=True)


def _check_replaceable(target: Path, out: str | os.PathLike[str]) -> None:
    """Refuse an existing ``out`` this tool could not replace as a whole: a mount point (it
    cannot be renamed) or a folder that is read-only or holds a read-only folder (the old set
    inside could not be removed, and a read-only folder means "do not change this")."""
    if os.path.ismount(target):
        raise OutputError(
            f"--out {out}: is a mount point, which cannot be replaced as a whole; give a folder "
            f"inside it (e.g. {Path(out) / 'out'})"
        )
    try:
        folders = [target, *(p for p in target.rglob("*") if p.is_dir() and not p.is_symlink())]
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot read the folder ({exc.strerror})") from None
    for folder in folders:
        if not os.access(folder, os.W_OK | os.X_OK):
            shown = "the folder" if folder == target else f"its folder {folder.name}/"
            raise OutputError(
                f"--out {out}: {shown} is read-only; the output set replaces the folder as a "
                "whole, so make it writable or give another folder"
            )


def _remove_tree(path: Path) -> None:
    """Remove a folder of ours (the old set, a failed staging folder), also when a folder in it
    was made read-only: its permission is lifted and the removal retried. Never leaves it
    behind silently: what still cannot be removed raises :class:`OSError`."""

    def lift(func: object, name: str, exc: object) -> None:
        parent = os.path.dirname(name)
        with contextlib.suppress(OSError):
            os.chmod(parent, 0o700)
            if os.path.isdir(name) and not os.path.islink(name):
                os.chmod(name, 0o700)
        if os.path.isdir(name) and not os.path.islink(name):
            shutil.rmtree(name)
        else:
            os.unlink(name)

    if not path.exists():
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=lift)
    else:  # pragma: no cover - Python 3.11
        shutil.rmtree(path, onerror=lambda f, n, e: lift(f, n, e[1]))


def _discard(path: Path) -> None:
    """Best-effort :func:`_remove_tree` while another error is already on its way."""
    with contextlib.suppress(OSError):
        _remove_tree(path)


def check_output_dir(out: str | os.PathLike[str], known_names: Iterable[str]) -> Path:
    """Check an output folder before any work; return it (symlinks resolved).

    Raises
    ------
    OutputError
        ``out`` is a file, holds files this tool did not write (the folder is replaced as a
        whole, so they would be lost), is a mount point or read-only (it could not be replaced
        as a whole), or its parent cannot be created or written.
    """
    # absolute and normalised, so that '.' or 'a/..' have a name and a parent to swap in
    target = Path(os.path.abspath(Path(out).expanduser()))
    if target.is_symlink():
        target = target.resolve()
    if target.parent == target:
        raise OutputError(f"--out {out}: give a folder below the file system root")
    cwd = Path.cwd()
    if cwd == target or target in cwd.parents:
        raise OutputError(
            f"--out {out}: holds the current folder; the output folder is replaced as a whole, "
            "so give a folder of its own (e.g. out/)"
        )
    if target.exists():
        if not target.is_dir():
            raise OutputError(f"--out is a file: {out} (give a folder for the output set)")
        _check_replaceable(target, out)
        known = {n.split("/")[0] for n in known_names}  # "tables/x.csv" -> "tables"
        try:
            foreign = sorted(p.name for p in target.iterdir() if p.name not in known)
        except OSError as exc:
            raise OutputError(f"--out {out}: cannot read the folder ({exc.strerror})") from None
        if foreign:
            shown = ", ".join(foreign[:4]) + (", ..." if len(foreign) > 4 else "")
            raise OutputError(
                f"--out {out}: the folder holds files transcaspian did not write ({shown}); "
                "it is replaced as a whole, so give a new or empty folder"
            )
    parent = target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot create {parent} ({exc.strerror})") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out}: the folder {parent} is not writable")
    clean_output_leftovers(target)
    return target


def write_output_set(
    out: str | os.PathLike[str],
    contents: Mapping[str, str | bytes],
    known_names: Iterable[str] = (),
) -> dict[str, Path]:
    """Replace the folder ``out`` by exactly the files ``contents`` (name → text or bytes),
    all at once: a reader (or a kill at any moment) sees the old set or the new set, never a
    mix, and never a temporary file inside ``out``. See the notes above for how.

    Raises
    ------
    OutputError
        See :func:`check_output_dir`; or the set cannot be written (disk full, permissions).
    """
    target = check_output_dir(out, {*known_names, *contents})
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    staging = target.parent / f".{target.name}.staging-{token}"
    try:
        staging.mkdir()
        for name, data in contents.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            with open(staging / name, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(staging / name, 0o644)
        _fsync_dir(staging)
        _swap_in(staging, target, token)
    except OSError as exc:
        _discard(staging)
        raise OutputError(f"{out}: cannot write the output set ({exc.strerror or exc})") from None
    except BaseException:
        _discard(staging)
        raise
    return {name: Path(out) / name for name in contents}


def _swap_in(staging: Path, target: Path, token: str) -> None:
    """Make the complete folder ``staging`` the folder ``target`` (see the notes above)."""
    parent = target.parent
    if not target.exists():
        try:
            os.rename(staging, target)
        except OSError as exc:  # another run created it meanwhile: exchange below
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        else:
            _fsync_dir(parent)
            return
    if _exchange(staging, target):
        _fsync_dir(parent)
        _remove_old_set(staging, target)
        return
    ready = parent / f".{target.name}.ready-{token}"
    old = parent / f".{target.name}.old-{token}"
    os.rename(staging, ready)
    os.rename(target, old)
    try:
        os.rename(ready, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.rename(old, target)
        raise
    _fsync_dir(parent)
    _remove_old_set(old, target)


def _remove_old_set(old: Path, target: Path) -> None:
    """Remove the old set after the swap; say so (one line) if it cannot be."""
    try:
        _remove_tree(old)
    except OSError as exc:
        raise OutputError(
            f"{target}: the new output set is in place, but the old one could not be removed "
            f"from {old} ({exc.strerror or exc})"
        ) from None
