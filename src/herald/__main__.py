"""`python -m herald` is the same as the `herald` command."""

from herald.cli import main

main()
