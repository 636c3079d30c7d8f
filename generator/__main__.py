"""`python -m generator` runs the citehub command line."""

import sys

from generator.cli import main

sys.exit(main())
