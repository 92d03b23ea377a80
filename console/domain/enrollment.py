"""The two ways a console enrols with head office (plain values: the GUI reads them before the store opens).

``upload``: this console's data goes up and becomes the store's at head office.
``clean``: the console starts clean and takes head office's catalog and the store's data.
"""

from __future__ import annotations

MODE_UPLOAD, MODE_CLEAN = "upload", "clean"
MODES = (MODE_UPLOAD, MODE_CLEAN)
