"""``python -m treatwise``: the same command line as the ``treatwise`` script."""

from treatwise.cli import main

if __name__ == "__main__":  # pragma: no branch
    main()
