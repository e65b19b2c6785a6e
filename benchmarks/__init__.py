"""Benchmarks for Lamplight: a synthetic corpus generator and a side-by-side runner.

``python -m benchmarks --sizes 100,1000`` generates corpora of N skills and N showcases under
``benchmarks/corpus/`` (git-ignored), measures every stage in a fresh subprocess (wall time and
peak RSS) next to a plain mkdocs-material / plain WeasyPrint baseline, and writes the dated
results table to ``docs/benchmarks.md``.
"""

from __future__ import annotations

__all__ = ["corpus", "runner"]
