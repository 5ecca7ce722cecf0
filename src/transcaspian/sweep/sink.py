"""The sweep's output folder: a Parquet dataset, one file per partition, written atomically.

Layout of ``--out DIR``::

    DIR/sweep.json            manifest: the sweep's arguments and partitioning (written first)
    DIR/parts/part-00000.parquet ...   one file per batch of designs
    DIR/summary.html          Pareto fronts and best designs (written last)

Each partition is written to a hidden temporary file in ``parts/`` and renamed into place
(:func:`transcaspian._io.atomic_path`), so a partition file that exists is complete: a sweep
killed at any instant leaves whole partitions and, at worst, a hidden temporary file, which
the next run removes. Re-running the same sweep computes only the partitions that are
missing; a different sweep into the same folder is refused (one line) rather than mixed in.

Parquet needs pyarrow (the ``[dask]`` extra). Without it the in-process executor still runs
and writes each partition as CSV (``part-00000.csv``), the one table format every analysis
tool reads with no extra library; ``pip install 'transcaspian[dask]'`` gives Parquet.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .._io import atomic_path, write_text_atomic
from ..errors import SweepError

__all__ = ["PartitionSink", "have_pyarrow", "read_columns"]

INSTALL_HINT = "pip install 'transcaspian[dask]'"
MANIFEST = "sweep.json"
PARTS = "parts"


def have_pyarrow() -> bool:
    """Whether pyarrow can be imported (Parquet output)."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


class PartitionSink:
    """Writes and finds the partitions of one sweep in ``out``.

    Parameters
    ----------
    out : path
        Output folder.
    manifest : mapping
        JSON-ready description of the sweep (arguments, partitioning); a folder holding another
        sweep's manifest is refused.
    fmt : {"parquet", "csv"}
        Partition format.
    """

    def __init__(self, out: str | Path, manifest: Mapping[str, Any], fmt: str) -> None:
        self.out = Path(out)
        self.parts = self.out / PARTS
        self.fmt = fmt
        self.manifest = dict(manifest)
        self.n_partitions = int(manifest["n_partitions"])

    def open(self) -> None:
        """Check or write the manifest, remove stale temporary files."""
        path = self.out / MANIFEST
        if self.out.exists() and not self.out.is_dir():
            raise SweepError(f"--out {self.out}: exists and is not a folder")
        if path.exists():
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise SweepError(f"--out {self.out}: unreadable {MANIFEST}; remove the folder "
                                 "or choose another --out") from None
            if old != self.manifest:
                raise SweepError(f"--out {self.out}: holds a different sweep (other "
                                 "parameters, scenario or format); choose another --out")
        elif self.parts.exists() and any(self.parts.iterdir()):
            raise SweepError(f"--out {self.out}: holds partitions but no {MANIFEST}; choose "
                             "another --out")
        else:
            write_text_atomic(path, json.dumps(self.manifest, indent=2) + "\n")
        self.parts.mkdir(parents=True, exist_ok=True)
        for stale in self.parts.glob(".part-*.tmp"):
            stale.unlink(missing_ok=True)

    def path(self, k: int) -> Path:
        """File of partition ``k``."""
        return self.parts / f"part-{k:05d}.{self.fmt}"

    def missing(self) -> list[int]:
        """Partitions not yet written."""
        return [k for k in range(self.n_partitions) if not self.path(k).exists()]

    def write(self, k: int, columns: Mapping[str, npt.NDArray[Any]]) -> Path:
        """Write partition ``k`` atomically."""
        target = self.path(k)
        with atomic_path(target) as tmp:
            if self.fmt == "parquet":
                _write_parquet(tmp, columns)
            else:
                tmp.write_text(_csv_text(columns), encoding="utf-8")
        return target

    def files(self) -> list[Path]:
        """Every partition written, in order."""
        return [self.path(k) for k in range(self.n_partitions) if self.path(k).exists()]


def _arrow_table(columns: Mapping[str, npt.NDArray[Any]]) -> Any:
    import pyarrow as pa

    arrays = {}
    for name, col in columns.items():
        a = np.asarray(col)
        arrays[name] = pa.array(a.astype(str) if a.dtype == object else a,
                                type=pa.string() if a.dtype == object else None)
    return pa.table(arrays)


def _write_parquet(path: Path, columns: Mapping[str, npt.NDArray[Any]]) -> None:
    import pyarrow.parquet as pq

    pq.write_table(_arrow_table(columns), path, compression="zstd")


def _csv_text(columns: Mapping[str, npt.NDArray[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = list(columns)
    w.writerow(names)
    cols = [np.asarray(columns[c]) for c in names]
    for row in zip(*(c.tolist() for c in cols), strict=True):
        w.writerow(repr(v) if isinstance(v, float) else v for v in row)
    return buf.getvalue()


def _read_csv(path: Path, names: Sequence[str] | None) -> dict[str, npt.NDArray[Any]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    out: dict[str, npt.NDArray[Any]] = {}
    for j, name in enumerate(header):
        if names is not None and name not in names:
            continue
        raw = [r[j] for r in body]
        out[name] = _parse_csv_column(raw)
    return out


def _parse_csv_column(raw: list[str]) -> npt.NDArray[Any]:
    if raw and all(v in ("True", "False") for v in raw):
        return np.asarray([v == "True" for v in raw])
    try:
        ints = [int(v) for v in raw]
        return np.asarray(ints, dtype=np.int64)
    except ValueError:
        pass
    try:
        return np.asarray([float(v) for v in raw], dtype=float)
    except ValueError:
        return np.asarray(raw, dtype=object)


def read_columns(files: Sequence[Path], names: Sequence[str] | None = None
                 ) -> Iterator[dict[str, npt.NDArray[Any]]]:
    """The partitions' columns (all, or ``names``), one partition at a time (flat memory)."""
    for f in files:
        if f.suffix == ".parquet":
            import pyarrow.parquet as pq

            present = pq.read_schema(f).names
            cols = None if names is None else [c for c in names if c in present]
            table = pq.read_table(f, columns=cols)
            yield {c: _to_numpy(table.column(c)) for c in table.column_names}
        else:
            yield _read_csv(f, names)


def _to_numpy(col: Any) -> npt.NDArray[Any]:
    import pyarrow as pa

    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return np.asarray(col.to_pylist(), dtype=object)
    return np.asarray(col.to_numpy())
