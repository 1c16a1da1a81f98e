"""A sandbox lake on this computer: a real S3 server (SeaweedFS ``weed mini``), a small OpenID provider with the
device flow (:mod:`planet_gui.sandbox.idp`, on authlib's server side) and the validation hook, all on 127.0.0.1
with ports chosen at run time and credentials made for this sandbox alone.

It lets a newcomer, a reviewer or a trainee run the app's main job for real (log in, upload, get a verdict) with
no account anywhere. It imports :mod:`planet_gui.core`; the core never imports it. Start it with
:class:`planet_gui.sandbox.lake.Sandbox`, ``planet-lake sandbox start``, or the GUI's "Try it on this computer".
"""

from __future__ import annotations

SANDBOX_PROFILE_NAME = "Sandbox (this computer)"
#: the profile file's stem in the profiles folder: ``--profile sandbox`` picks it
SANDBOX_PROFILE_STEM = "sandbox"
