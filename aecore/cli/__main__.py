"""`python -m aecore.cli ...`: the same as the `aecore` command."""

import sys

from aecore.cli import main

sys.exit(main())
