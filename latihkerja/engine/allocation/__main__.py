"""``python -m latihkerja.engine.allocation INPUT.json [--mechanism da|fcfs|welfare] > OUTPUT.json``."""

from latihkerja.engine.allocation.cli import main

raise SystemExit(main())
