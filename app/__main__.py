"""`safespace`: with no arguments, the desktop app; with a sub-command (or --help), the command line."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    # In the frozen app (packaging/safespace.spec) this executable is also the Python that multiprocessing
    # starts for its fork server, resource tracker and (on Windows and macOS) spawned workers: their
    # arguments are handled here, before ours are parsed. Outside a bundle it does nothing.
    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        from checks.cli import main as cli_main

        if "review" in args:  # only reviews export PDF; other commands load nothing of it
            from checks.reviews import document

            def pdf(html: str, path: object) -> None:  # Qt is loaded only when a PDF is asked for
                from app.application import missing_libraries, missing_message

                missing = missing_libraries({"QT_QPA_PLATFORM": "offscreen"})
                if missing:  # rather than an ImportError from Qt
                    raise document.ExportError(
                        missing_message(missing, "make a PDF", "Reports as html or json need none of them.")
                    )
                from app.report_pdf import render

                render(html, path)  # type: ignore[arg-type]

            document.PDF_RENDERER = pdf
        return cli_main(args)
    from app.application import run

    return run()


if __name__ == "__main__":
    sys.exit(main())
