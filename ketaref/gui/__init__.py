"""The desktop window: a thin Qt face over the same store, search, render and handout functions as the CLI."""

from ..constants import DISCLAIMER as DISCLAIMER  # the banner and About box import it from here
