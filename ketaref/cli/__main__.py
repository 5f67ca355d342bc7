"""Run the command line as `python -m ketaref.cli` (the `ketaref` command starts in ketaref.launch)."""

from ketaref.cli import main

if __name__ == "__main__":
    main()
