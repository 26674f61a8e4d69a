"""`safespace`: with a sub-command, the command line; without one, the desktop app.

The desktop app arrives with its own issue; until then, no sub-command prints the command-line help.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from checks.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
