"""python -m ottepel."""

from .cli import main

main()
