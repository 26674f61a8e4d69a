"""The `safespace` command line. Every sub-command calls the same library the GUI uses.

Each sub-command lives in its own module (`checks/cli_<name>.py`, with `HELP`, `configure(parser)` and
`run(args)`), imported only when that sub-command runs: `safespace images clean` never loads the network
stack, and `safespace --help` loads none of them.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from checks import __version__
from checks.errors import SafeSpaceError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# name -> (module, one line of help). The help is repeated here so that listing the commands imports nothing.
COMMANDS: dict[str, tuple[str, str]] = {
    "images": ("checks.cli_images", "check pictures and videos for hidden details and make safe copies"),
    "media": ("checks.cli_images", "the same as `images`"),
    "scan": (
        "checks.cli_scan",
        "look for devices on this network that could listen, watch or identify someone",
    ),
    "computer": ("checks.cli_computer", "check what this computer shares, runs and records"),
    "guides": ("checks.cli_guides", "step-by-step privacy settings for phones, computers and accounts"),
    "review": ("checks.cli_review", "practice reviews, and reports of them"),
    "post": ("checks.cli_post", "check a draft post or message for details that could identify a client"),
}
DESCRIPTION = (
    "SafeSpace helps counsellors and psychotherapists keep their clients untraceable. "
    "It sends nothing to the internet and never changes your original files."
)
EPILOG = "Run `safespace` with no command to open the app. `safespace COMMAND --help` tells more about one."


def command_module(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name][0])


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the `selected` sub-command's module is imported to add its arguments (all of them
    when `selected` is "*", as tests of the whole command line do)."""
    parser = argparse.ArgumentParser(prog="safespace", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"safespace {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        if selected in (name, "*"):
            command_module(name).configure(p)
    return parser


def _chosen(args: Sequence[str]) -> str | None:
    """The sub-command named in args (the first word that is not an option), if any."""
    return next((a for a in args if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    word = _chosen(args)
    if word is not None and word not in COMMANDS:
        close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
        hint = f" Did you mean `safespace {close[0]}`?" if close else ""
        print(
            f"safespace: there is no command {word!r}.{hint} `safespace --help` lists them.", file=sys.stderr
        )
        return EXIT_USAGE
    parser = build_parser(word)
    parsed = parser.parse_args(args)
    if parsed.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return int(command_module(parsed.command).run(parsed))
    except SafeSpaceError as exc:
        print(f"safespace: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # the reader went away (`safespace ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
