"""Names and wording fixed once for every module: environment variables, file names, paper sizes, disclaimers.

The review period is model.REVIEW_MONTHS, beside the date rule that uses it.
"""

from __future__ import annotations

# Environment variables (each read in one module; tests and clinic IT set them).
RESOURCES_ENV = "KETAREF_RESOURCES"  # a folder to use instead of the bundled resources
CACHE_DIR_ENV = "KETAREF_CACHE_DIR"  # the user cache folder (the default pack is built there)
DATA_DIR_ENV = "KETAREF_DATA_DIR"  # the user data folder (settings, installed pack updates)

# File names.
PACK_FILENAME = "ketaref.pack.sqlite"  # the default pack: bundled beside the resources, or built in the cache
UPDATE_STATE_FILE = "packs.json"  # in the user data folder: which installed pack update is active
SETTINGS_FILE = "settings.ini"  # in the user data folder: Preferences and window state
CARDS_DIR = "cards"  # in a source folder (and the resources): the card files
STYLES_DIR = "styles"  # in the resources: one stylesheet per medium, screen.css and print.css

# Paper sizes: the value in print options and settings, and its name in Preferences (Qt's QPageSize.PageSizeId).
PAPERS = {"letter": "Letter", "a4": "A4"}

# The clinician disclaimer: the window's banner and About box, and the foot of every printed reference sheet.
NOT_A_SUBSTITUTE = "not a substitute for clinical judgement or the current product label"
DISCLAIMER = f"For clinicians; {NOT_A_SUBSTITUTE}."
CLINICIAN_NOTE = f"For clinicians. {NOT_A_SUBSTITUTE[0].upper()}{NOT_A_SUBSTITUTE[1:]}."
# The foot of every printed patient handout.
HANDOUT_NOTE = "This sheet does not replace advice from your care team."
