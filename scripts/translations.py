"""Fill the Italian catalogue from the table below and compile it.

Run after changing UI strings: `.venv/bin/python scripts/translations.py`. It runs lupdate (keeps the .ts in
step with the code), writes every translation found here, fails on a string with no Italian, and lrelease
builds the .qm that the app loads.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "planet_it.ts"
BIN = Path(sys.executable).parent

ITALIAN = {
    "Log in to PLANET": "Accedi a PLANET",
    "Contacting the identity provider…": "Contatto con il fornitore di identità…",
    "Scan with a phone to log in there": "Inquadra con il telefono per accedere da lì",
    "Open the login page": "Apri la pagina di accesso",
    "Copy code": "Copia il codice",
    "Cancel": "Annulla",
    "Open the page below, sign in, and check that it shows this code:":
        "Apri la pagina qui sotto, accedi e verifica che mostri questo codice:",
    "Time left: %1:%2": "Tempo rimasto: %1:%2",
    "Close": "Chiudi",
    "PLANET Uploader": "PLANET Uploader",
    "Drop files or folders here, or use Add files…": "Trascina qui file o cartelle, oppure usa Aggiungi file…",
    "Metadata": "Metadati",
    "Preview": "Anteprima",
    "Main": "Principale",
    "Log in": "Accedi",
    "Add files…": "Aggiungi file…",
    "Remove": "Rimuovi",
    "Submit": "Invia",
    "Not logged in": "Accesso non effettuato",
    "Profile:": "Profilo:",
    "Ready": "Pronto",
    "Profile not switched": "Profilo non cambiato",
    "Wait until the current uploads have a verdict before switching.":
        "Attendi l'esito dei caricamenti in corso prima di cambiare profilo.",
    "Checking stored login…": "Verifica dell'accesso salvato…",
    "Log out": "Esci",
    "Logged in as %1": "Accesso effettuato come %1",
    "Add files": "Aggiungi file",
    "Please log in before submitting files.": "Accedi prima di inviare i file.",
    "Nothing to submit": "Niente da inviare",
    "No selected file is ready: fill in the required fields first.":
        "Nessun file selezionato è pronto: compila prima i campi obbligatori.",
    "Upload %1 file(s) to the data lake?": "Caricare %1 file nel data lake?",
    "%1 file(s) with missing fields stay here.": "%1 file con campi mancanti restano qui.",
    "Confirm upload": "Conferma il caricamento",
    "Waiting for the server's validation": "In attesa della validazione del server",
    "Accepted into %1": "Accettato in %1",
    "File": "File",
    "Status": "Stato",
    "inspecting": "analisi in corso",
    "ready": "pronto",
    "missing fields": "campi mancanti",
    "uploading": "caricamento",
    "pending": "in attesa",
    "validated": "validato",
    "triage": "da verificare",
    "failed": "errore",
    "set when uploading": "impostato al caricamento",
    "(several values)": "(valori diversi)",
    "in triage": "da verificare",
    "waiting for validation": "in attesa di validazione",
    "%1 is already in the lake (%2) as\n%3": "%1 è già nel data lake (%2) come\n%3",
    "It has the same content.": "Ha lo stesso contenuto.",
    "Already in the lake": "Già nel data lake",
    "Upload under a new name": "Carica con un nuovo nome",
    "Replace it": "Sostituiscilo",
    "Skip this file": "Salta questo file",
    "Pause uploads": "Sospendi i caricamenti",
    "Resume uploads": "Riprendi i caricamenti",
    "%1 left": "%1 rimasti",
    "Uploading %1 file(s): %2": "Caricamento di %1 file: %2",
}


def main() -> int:
    sources = sorted(str(p) for p in (ROOT / "planet_gui" / "qt").glob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(TS)], check=True)
    tree = ET.parse(TS)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if source not in ITALIAN:
            missing.append(source)
            continue
        translation.text = ITALIAN[source]
        translation.attrib.pop("type", None)
    if missing:
        print("No Italian for:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
