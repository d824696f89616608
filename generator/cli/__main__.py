import sys

from generator.cli.launch import main

sys.exit(main())
