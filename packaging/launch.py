"""The frozen app's entry point (packaging/safespace.spec): the same `safespace` command that pip installs.

It lives outside app/ so that PyInstaller never puts app/ itself on its search path (app/resources.py would
then shadow the `resources` package).
"""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
