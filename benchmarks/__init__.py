"""Benchmarks (``make bench``): ratios against reference tools run in the same process."""

import os

# One BLAS thread: the batched optics kernels do many small matrix products, which a
# multi-threaded BLAS slows down on a shared machine; GNPy runs in the same process under the
# same setting. Set OPENBLAS_NUM_THREADS yourself to override.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
