"""``python -m consultkit``: the same as the ``consultkit`` command."""

import sys

from .cli import main

sys.exit(main())
