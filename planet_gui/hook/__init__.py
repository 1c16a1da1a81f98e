"""The server-side validation hook: checks each new object's metadata against the PLANET schema and
moves it to the validated bucket, or to triage with the reasons written on the object."""
