"""The server-side validation hook: checks each new object itself (who wrote it, from the key's folder the lake's
policy ties to one user; its bytes, by their SHA-256; its metadata against the PLANET schema, with the one sidecar
its upload wrote) and moves it to the validated bucket, or to triage with the reasons written on the object.
The names both sides write are the lake's contract, :mod:`planet_gui.core.lake`."""
