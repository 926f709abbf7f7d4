"""``python -m classifier``: see :mod:`classifier.cli`."""

import sys

from .cli import main

sys.exit(main())
