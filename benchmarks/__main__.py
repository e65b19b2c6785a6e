"""``python -m benchmarks``: run the benchmarks and write docs/benchmarks.md."""

from __future__ import annotations

from .runner import main

raise SystemExit(main())
