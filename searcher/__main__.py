"""`python -m searcher` runs the command-line interface."""

from .cli import main

main()
