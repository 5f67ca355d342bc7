"""The desktop window: a thin Qt face over the same store, search, render and handout functions as the CLI."""

DISCLAIMER = "For clinicians; not a substitute for clinical judgement or the current product label."
