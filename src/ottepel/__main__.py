"""python -m ottepel."""

from ottepel.interfaces.cli import main

main()
