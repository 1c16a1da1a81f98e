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
    "Destination": "Destinazione",
    "Where the file goes in the lake (a folder and its bucket, from the profile)":
        "Dove va il file nel lake (una cartella e il suo bucket, dal profilo)",
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
    "Import profile…": "Importa profilo…",
    "Import a profile": "Importa un profilo",
    "Profiles (*.toml);;All files (*)": "Profili (*.toml);;Tutti i file (*)",
    "Profile %1 imported.": "Profilo %1 importato.",
    "Welcome to PLANET Uploader": "Benvenuto in PLANET Uploader",
    "To upload to your data lake, import the profile file its administrators gave you. Until then the example "
    "profile is open: it needs a lake you run yourself on this computer. You can import your profile later from "
    "the Profile list.":
        "Per caricare nel tuo data lake, importa il file di profilo che ti hanno dato i suoi amministratori. Fino "
        "ad allora è aperto il profilo di esempio: richiede un data lake che gestisci tu su questo computer. Puoi "
        "importare il tuo profilo più tardi dall'elenco dei profili.",
    "Profile not switched": "Profilo non cambiato",
    "Wait until the current uploads have a verdict before switching.":
        "Attendi l'esito dei caricamenti in corso prima di cambiare profilo.",
    "Checking stored login…": "Verifica dell'accesso salvato…",
    "Log out": "Disconnetti",  # not "Esci": that reads as quitting the program
    "Download damaged": "Scaricamento danneggiato",
    "Copy snippet": "Copia il codice Python",
    "Copy Python (pandas/xarray) that opens this file from the lake":
        "Copia il codice Python (pandas/xarray) che apre questo file dal data lake",
    "Copy link": "Copia il link",
    "Copy a link that downloads this file for a day, without a login":
        "Copia un link che scarica questo file per un giorno, senza accesso",
    "Download…": "Scarica…",
    "Select one file the lake has validated first.": "Seleziona prima un file che il data lake ha convalidato.",
    "Python that opens %1 copied: paste it in a notebook.":
        "Codice Python che apre %1 copiato: incollalo in un notebook.",
    "Link to %1 copied; anyone holding it can download the file until %2.":
        "Link a %1 copiato; chiunque lo abbia può scaricare il file fino a %2.",
    "Save %1": "Salva %1",
    "Saved %1 (SHA-256 checked).": "Salvato %1 (SHA-256 verificato).",
    "Saved %1 (the lake recorded no SHA-256: not checked).":
        "Salvato %1 (il data lake non ha registrato alcuno SHA-256: non verificato).",
    "Logged in as %1": "Accesso effettuato come %1",
    "Looking for files…": "Ricerca dei file…",
    "Add files": "Aggiungi file",
    "Please log in before submitting files.": "Accedi prima di inviare i file.",
    "Nothing to submit": "Niente da inviare",
    "No selected file is ready: fill in the required fields first.":
        "Nessun file selezionato è pronto: compila prima i campi obbligatori.",
    "Upload %1 file(s) to the data lake?": "Caricare %1 file nel data lake?",
    "%1 file(s) whose metadata needs fixing stay here.": "%1 file con metadati da correggere restano qui.",
    "Confirm upload": "Conferma il caricamento",
    "Waiting for the server's validation": "In attesa della validazione del server",
    "Accepted into %1": "Accettato in %1",
    "File": "File",
    "Status": "Stato",
    "inspecting": "analisi in corso",
    "ready": "pronto",
    "to fix": "da correggere",
    "The receipt of the selected upload's submission (every file sent with it), kept on this computer":
        "La ricevuta dell'invio del caricamento selezionato (ogni file inviato con esso), conservata su "
        "questo computer",
    "Whole submission…": "Intero invio…",
    "Submission receipt: %1": "Ricevuta dell'invio: %1",
    "This file only": "Solo questo file",
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
    "Wait until the current uploads have a verdict, and stop watching the folder, before switching.":
        "Attendi l'esito dei caricamenti in corso, e smetti di sorvegliare la cartella, prima di cambiare profilo.",
    "being written": "in scrittura",
    "skipped": "saltato",
    "Unexpected error": "Errore imprevisto",
    # interrupted uploads
    "&Uploads": "&Caricamenti",
    "Interrupted uploads…": "Caricamenti interrotti…",
    "Interrupted uploads": "Caricamenti interrotti",
    "No interrupted uploads.": "Nessun caricamento interrotto.",
    "Interrupted uploads wait; Uploads ▸ Interrupted uploads… offers them again.":
        "I caricamenti interrotti restano in attesa; Caricamenti ▸ Caricamenti interrotti… li ripropone.",
    "Please log in before resuming uploads.": "Accedi prima di riprendere i caricamenti.",
    "Resuming where it stopped": "Ripresa dal punto in cui si era fermato",
    "Resumed %1 of %2 interrupted upload(s).": "Ripresi %1 di %2 caricamenti interrotti.",
    "Discarded %1 interrupted upload(s); nothing of them is left on the server.":
        "Scartati %1 caricamenti interrotti; sul server non ne resta nulla.",
    "Uploads interrupted last time: %1. Resume them where they stopped? Only the missing parts are sent.":
        "Caricamenti interrotti l'ultima volta: %1. Riprenderli dal punto in cui si sono fermati? Vengono inviate "
        "solo le parti mancanti.",
    "Object key": "Chiave dell'oggetto",
    "Sent": "Inviato",
    "%1 is no longer there: it cannot be resumed, and what reached the server is removed.":
        "%1 non c'è più: non si può riprendere, e quanto già arrivato al server viene rimosso.",
    "Resume all": "Riprendi tutti",
    "Discard": "Scarta",
    "Cancel these uploads: what reached the server is removed.":
        "Annulla questi caricamenti: quanto già arrivato al server viene rimosso.",
    "Later": "Più tardi",
    "Keep them for now; Uploads ▸ Interrupted uploads… offers them again.":
        "Tienili per ora; Caricamenti ▸ Caricamenti interrotti… li ripropone.",
    "the file is gone": "il file non c'è più",
    "%1 of %2 sent": "%1 di %2 inviato",
    # watched folder
    "Watch a folder…": "Sorveglia una cartella…",
    "Watched folder": "Cartella sorvegliata",
    "Please log in before watching a folder.": "Accedi prima di sorvegliare una cartella.",
    "Watching %1": "Sorveglianza di %1",
    "with the template %1": "con il modello %1",
    "Waiting until the file stops changing": "In attesa che il file smetta di cambiare",
    "Stopped watching the folder.": "Sorveglianza della cartella interrotta.",
    "the folder where new files arrive": "la cartella in cui arrivano i nuovi file",
    "Choose…": "Scegli…",
    "Its values are merged over what is read from each new file. Save one from the metadata form with Save as "
    "template…": "I suoi valori prevalgono su quanto letto da ogni nuovo file. Salvane uno dal modulo dei metadati "
                 "con Salva come modello…",
    "(no template)": "(nessun modello)",
    "Start watching": "Avvia la sorveglianza",
    "Stop watching": "Ferma la sorveglianza",
    "Not watching.": "Nessuna cartella sorvegliata.",
    "Folder:": "Cartella:",
    "Template:": "Modello:",
    "Folder to watch": "Cartella da sorvegliare",
    "Stopping…": "Arresto in corso…",
    "Choose the folder to watch first.": "Scegli prima la cartella da sorvegliare.",
    "%1 uploaded": "%1 caricati",
    "%1 being written": "%1 in scrittura",
    "%1 skipped": "%1 saltati",
    "%1 failed": "%1 con errori",
    # templates
    "Save as template…": "Salva come modello…",
    "Save as template": "Salva come modello",
    "Keep these values for a watched folder's new files": "Conserva questi valori per i nuovi file di una "
                                                          "cartella sorvegliata",
    "Saved the template %1.": "Modello %1 salvato.",
    "A template fills in these values for each new file of a watched folder. What is read from each file (format, "
    "record count, period, column names) is left out, and so is any value that differs between the selected files.":
        "Un modello compila questi valori per ogni nuovo file di una cartella sorvegliata. Quanto si legge da ogni "
        "file (formato, numero di record, periodo, nomi delle colonne) è escluso, come ogni valore che differisce "
        "tra i file selezionati.",
    "e.g. ARPA daily PM10": "ad es. ARPA PM10 giornaliero",
    "Field": "Campo",
    "Value": "Valore",
    "Name:": "Nome:",
    "Save": "Salva",
    "yes": "sì",
    "no": "no",
    "Nothing to save: the selected files share no value a template could keep.":
        "Niente da salvare: i file selezionati non hanno in comune alcun valore che un modello possa conservare.",
    "A template named %1 exists; saving replaces it.": "Esiste già un modello %1; salvando lo sostituisci.",
    "Something went wrong": "Qualcosa è andato storto",
    "Profile problem": "Problema con il profilo",
    "Metadata schema problem": "Problema con lo schema dei metadati",
    "Cannot read this file": "Impossibile leggere questo file",
    "Login problem": "Problema di accesso",
    "Session ended": "Sessione terminata",
    "Storage credentials problem": "Problema con le credenziali di archiviazione",
    "Storage problem": "Problema di archiviazione",
    "Metadata is not valid": "I metadati non sono validi",
    "Login cancelled": "Accesso annullato",
    "Login denied": "Accesso negato",
    "Metadata sidecar problem": "Problema con il file dei metadati associato",
    "File changed": "File modificato",
    "File gone": "File non più presente",
    "Upload damaged": "Caricamento danneggiato",
    "Upload cancelled": "Caricamento annullato",
    "Upload interrupted": "Caricamento interrotto",
    "Storage server unreachable": "Server di archiviazione irraggiungibile",
    "Storage access refused": "Accesso all'archivio rifiutato",
    "Untrusted storage server": "Server di archiviazione non attendibile",
    "Untrusted identity provider": "Fornitore di identità non attendibile",
    "Template problem": "Problema con il modello",
    "Cannot watch": "Impossibile sorvegliare la cartella",
    # the sandbox (planet_gui/qt/sandbox_ui.py)
    "Starting the sandbox lake on this computer…": "Avvio del data lake di prova su questo computer…",
    "Starting the sandbox…": "Avvio della prova…",
    "The sandbox is running on this computer: log in to try it.":
        "Il data lake di prova è attivo su questo computer: accedi per provarlo.",
    "The sandbox did not start": "Il data lake di prova non si è avviato",
    "Try it on this computer": "Prova su questo computer",
    "Start a sandbox lake on this computer, with a sandbox user: log in, upload and see the verdicts, with no "
    "account anywhere. Nothing leaves this computer.":
        "Avvia un data lake di prova su questo computer, con un utente di prova: accedi, carica e guarda gli esiti, "
        "senza un account. Nulla esce da questo computer.",
    "No profile yet? \"Try it on this computer\" starts a sandbox lake here, with a sandbox user: log in, upload "
    "files and see the lake's verdicts, with no account.":
        "Non hai ancora un profilo? \"Prova su questo computer\" avvia qui un data lake di prova, con un utente di "
        "prova: accedi, carica i file e guarda gli esiti del data lake, senza un account.",
    "Sandbox (this computer)": "Prova (questo computer)",
    "A lake on this computer, to try the app; nothing reaches an institution's lake":
        "Un data lake su questo computer, per provare l'app; nulla raggiunge il data lake di un ente",
    "SANDBOX — uploads stay on this computer": "PROVA — i caricamenti restano su questo computer",
    # the queue kept on disk, row notes, the window's words for conflicts (qt/queue_persist.py, qt/row_notes.py)
    "interrupted": "interrotto",
    "Inspect again": "Ispeziona di nuovo",
    "Read the selected files again and infer their metadata; what you typed stays":
        "Rilegge i file selezionati e ne deduce i metadati; quanto hai scritto resta",
    "The list of files cannot be saved on this computer (%1); it will not come back after a restart.":
        "L'elenco dei file non può essere salvato su questo computer (%1); non tornerà dopo un riavvio.",
    "Interrupted when the app stopped: it resumes where it stopped once you choose Resume all (Uploads ▸ "
    "Interrupted uploads…)":
        "Interrotto quando l'app si è chiusa: riprende da dove si era fermato quando scegli Riprendi tutti "
        "(Caricamenti ▸ Caricamenti interrotti…)",
    "The file is no longer at %1: add it again from where it is now.":
        "Il file non è più in %1: aggiungilo di nuovo da dove si trova ora.",
    "%1 file(s) from last time are back in the list.": "%1 file dell'ultima volta sono di nuovo nell'elenco.",
    "Could not infer the metadata (%1: %2). Type it in by hand, or use Inspect again.":
        "Impossibile dedurre i metadati (%1: %2). Scrivili a mano, oppure usa Ispeziona di nuovo.",
    "%1 of the selected files have warnings.": "%1 dei file selezionati hanno avvisi.",
    "The same content is already in the lake as %1 (%2). The file was not sent again.":
        "Lo stesso contenuto è già nel data lake come %1 (%2). Il file non è stato inviato di nuovo.",
    "%1 is already in the lake (%2). The file was not sent; submit it again to upload it under a new name.":
        "%1 è già nel data lake (%2). Il file non è stato inviato; invialo di nuovo per caricarlo con un nuovo "
        "nome.",
    "Object key: %1": "Chiave dell'oggetto: %1",
    "SHA-256: %1": "SHA-256: %1",
    "Uploaded by: %1": "Caricato da: %1",
    "Please log in first.": "Accedi prima.",
    "The upload was cancelled; nothing of it is left on the server.":
        "Il caricamento è stato annullato; sul server non ne resta nulla.",
    "Upload journal problem": "Problema con il registro dei caricamenti",
    "Cannot scan this file": "Impossibile analizzare questo file",
    "Cannot pseudonymise this file": "Impossibile pseudonimizzare questo file",
    "No key for pseudonyms": "Nessuna chiave per gli pseudonimi",
    "Personal data found": "Trovati dati personali",
    # the window for batches of hundreds, uploads that follow the engine, desktop basics
    'Add files to upload (Ctrl+O); folders can be dropped':
        'Aggiungi file da caricare (Ctrl+O); si possono anche trascinare cartelle',
    'Remove the selected files from the list (Delete); an upload running is cancelled':
        "Togli i file selezionati dall'elenco (Canc); un caricamento in corso viene annullato",
    'Upload the selected files, or every ready one (Ctrl+Return)':
        'Carica i file selezionati, o tutti quelli pronti (Ctrl+Invio)',
    'Cancel upload':
        'Annulla caricamento',
    'Stop the selected uploads; nothing of them stays on the server':
        'Ferma i caricamenti selezionati; sul server non ne resta nulla',
    'Retry':
        'Riprova',
    'Try the selected failed files again':
        'Riprova i file selezionati non riusciti',
    'Bandwidth limit…':
        'Limite di banda…',
    'Cap the speed of all uploads, for a shared network':
        'Limita la velocità di tutti i caricamenti, per una rete condivisa',
    'Quit':
        'Esci dal programma',
    'Help':
        'Guida',
    '&File':
        '&File',
    '&Help':
        '&Aiuto',
    'Profile':
        'Profilo',
    'Add files (Ctrl+O) or drop files and folders on the window. Each file is read and its metadata '
    'filled in; select files to review and edit it in the form on the right (several files at once edit '
    'them all).':
        'Aggiungi file (Ctrl+O) o trascina file e cartelle sulla finestra. Ogni file viene letto e i suoi '
        'metadati compilati; seleziona i file per rivederli e modificarli nel modulo a destra (selezionando '
        'più file li modifichi tutti insieme).',
    'Submit (Ctrl+Return) uploads the selected files, or every ready one. Each file then waits for the '
    "lake's validation: validated, or triage with the reasons.":
        'Invia (Ctrl+Invio) carica i file selezionati, o tutti quelli pronti. Ogni file attende poi la '
        'validazione del data lake: validato, oppure in triage con i motivi.',
    'Keys: Ctrl+O add · Delete remove · Ctrl+Return submit · Tab to the form · F1 help · Ctrl+Q quit.':
        'Tasti: Ctrl+O aggiungi · Canc rimuovi · Ctrl+Invio invia · Tab al modulo · F1 guida · Ctrl+Q esci.',
    'PLANET Uploader help':
        'Guida di PLANET Uploader',
    'Files to upload and their names in the lake':
        'File da caricare e loro nomi nel data lake',
    'Name in the lake':
        'Nome nel data lake',
    'Total size: %1':
        'Dimensione totale: %1',
    'Categories: %1':
        'Categorie: %1',
    'Destination: %1':
        'Destinazione: %1',
    '%1 file(s) say they contain personal data.':
        '%1 file dichiarano di contenere dati personali.',
    '%1 file(s) would get the same name in the lake; you will be asked about each.':
        '%1 file avrebbero lo stesso nome nel data lake; ti verrà chiesto per ciascuno.',
    'Do the same for the other files already in the lake (%1 waiting)':
        'Fai lo stesso per gli altri file già nel data lake (%1 in attesa)',
    'Do the same for the other files already in the lake':
        'Fai lo stesso per gli altri file già nel data lake',
    'Files to upload':
        'File da caricare',
    'Search file names':
        'Cerca nei nomi dei file',
    'Show files in state':
        'Mostra i file nello stato',
    'All files':
        'Tutti i file',
    'QR code of the login page':
        'Codice QR della pagina di accesso',
    'Scan with a phone to open %1 there':
        'Inquadralo con il telefono per aprire lì %1',
    'Log out of %1? Files in the list stay; uploading them needs a new login.':
        "Disconnettersi da %1? I file nell'elenco restano; per caricarli servirà un nuovo accesso.",
    '%1 file(s)':
        '%1 file',
    'Pick %1 from a calendar':
        'Scegli %1 da un calendario',
    'YYYY-MM-DD or %1':
        'AAAA-MM-GG o %1',
    'Set for all selected files?':
        'Impostare per tutti i file selezionati?',
    'The %1 selected files have different values for %2. Set it to “%3” for all of them?':
        'I %1 file selezionati hanno valori diversi per %2. Impostarlo a “%3” per tutti?',
    'Problems of the selected file':
        'Problemi del file selezionato',
    'Bandwidth limit':
        'Limite di banda',
    'Upload at most (KiB/s, 0 for no limit):':
        'Carica al massimo a (KiB/s, 0 senza limite):',
    'Uploads limited to %1/s':
        'Caricamenti limitati a %1/s',
    '(from the next uploads)':
        '(dai prossimi caricamenti)',
    'Upload cancelled; nothing of it is left on the server.':
        'Caricamento annullato; sul server non ne resta nulla.',
    'Upload interrupted; it continues where it stopped when submitted again.':
        'Caricamento interrotto; riprende da dove si è fermato quando lo invii di nuovo.',
    'Resuming %1 interrupted upload(s).':
        'Ripresa di %1 caricamenti interrotti.',
    # the Preview tab (planet_gui/qt/preview/)
    'Rows': 'Righe',
    'Columns': 'Colonne',
    'Plot': 'Grafico',
    'Map': 'Mappa',
    'Structure': 'Struttura',
    'Text': 'Testo',
    'Reading the file…': 'Lettura del file…',
    'Drawing the plot…': 'Disegno del grafico…',
    'integer': 'intero',
    'float': 'decimale',
    'number': 'numero',
    'datetime': 'data e ora',
    'date': 'data',
    'time': 'ora',
    'string': 'testo',
    'boolean': 'vero/falso',
    'empty': 'vuota',
    'This preview could not be read: %1': 'Questa anteprima non si è potuta leggere: %1',
    'Column': 'Colonna',
    'Type': 'Tipo',
    'Missing': 'Mancanti',
    'Min': 'Min',
    'Max': 'Max',
    'Most frequent': 'Più frequenti',
    'all different': 'tutti diversi',
    'Computed on the first %1 rows.': 'Calcolato sulle prime %1 righe.',
    'Name': 'Nome',
    'Column:': 'Colonna:',
    'One line per %1.': 'Una linea per %1.',
    'The %1 largest of %2 shown.': 'Mostrati i %1 più grandi su %2.',
    'First %1 rows of the file.': 'Prime %1 righe del file.',
    "Click the map to plot a point's series.": 'Fai clic sulla mappa per tracciare la serie di un punto.',
    'Variable:': 'Variabile:',
    'All of this file is one point: %1': 'Tutto questo file è un solo punto: %1',
    # My uploads, verdict notices, fixing a triaged file (planet_gui/qt/my_uploads.py, triage_fix.py)
    'My uploads': 'I miei caricamenti',
    'Attempt': 'Tentativo',
    'Uploaded': 'Caricato',
    'Verdict at': 'Esito il',
    'Reasons': 'Motivi',
    'not in the lake': 'non è nel lake',
    'not checked yet': 'non ancora controllato',
    'fix': 'correzione',
    'upload': 'caricamento',
    'Search file, key or reason': 'Cerca file, chiave o motivo',
    'Search my uploads': 'Cerca nei miei caricamenti',
    'Show uploads in state': 'Mostra i caricamenti nello stato',
    'All states': 'Tutti gli stati',
    'Refresh': 'Aggiorna',
    'Asking the lake…': 'Richiesta al lake…',
    '%1 uploads: %2 validated, %3 in triage, %4 waiting':
        '%1 caricamenti: %2 validati, %3 in triage, %4 in attesa',
    'Upload validated': 'Caricamento validato',
    '%1 was accepted into the lake.': '%1 è stato accettato nel lake.',
    'Upload in triage': 'Caricamento in triage',
    '%1 needs attention: %2': '%1 richiede attenzione: %2',
    'Verdicts arrived': 'Sono arrivati degli esiti',
    '%1 validated, %2 in triage.': '%1 validati, %2 in triage.',
    '(empty)': '(vuoto)',
    'The lake holds: %1': 'Il lake contiene: %1',
    'Resubmit with these corrections': 'Invia di nuovo con queste correzioni',
    'The lake copies the file it already holds back for validation, with the corrected metadata; nothing is '
    'uploaded again.':
        'Il lake ricopia il file che già contiene per la validazione, con i metadati corretti; nulla viene '
        'caricato di nuovo.',
    'Reading what the lake holds for this file…': 'Lettura di ciò che il lake contiene per questo file…',
    'A curator rejected this file; it cannot be resubmitted.':
        'Un curatore ha respinto questo file; non può essere inviato di nuovo.',
    'Still to correct: %1': 'Ancora da correggere: %1',
    'Corrected: %1. Resubmit to have the lake check it again.':
        'Corretto: %1. Invia di nuovo perché il lake lo controlli ancora.',
    'In triage. Correct the fields marked below, then resubmit.':
        'In triage. Correggi i campi segnati qui sotto, poi invia di nuovo.',
    'Resubmitting…': 'Nuovo invio…',
    "Resubmitted with corrections; waiting for the server's validation":
        'Inviato di nuovo con le correzioni; in attesa della validazione del server',
    'Resubmitted %1; nothing was uploaded again.': '%1 inviato di nuovo; nulla è stato ricaricato.',
    'Cannot resubmit': 'Impossibile inviare di nuovo',
    'Curation refused': 'Decisione del curatore rifiutata',
    # personal data (issue 18): the findings under the form, Pseudonymise…, Receipt…, the confirmation
    "Personal data found, by column": "Dati personali trovati, per colonna",
    "Kind": "Tipo",
    "Count": "Quanti",
    "Examples (masked)": "Esempi (mascherati)",
    "Confidence": "Affidabilità",
    "Pseudonymise…": "Pseudonimizza…",
    "Upload a copy with chosen columns replaced by keyed pseudonyms or dropped; the file itself stays as it is":
        "Carica una copia con le colonne scelte sostituite da pseudonimi con chiave o eliminate; il file resta "
        "com'è",
    "Receipt…": "Ricevuta…",
    "What was uploaded, by whom, what was found and decided, and the lake's verdict":
        "Cosa è stato caricato, da chi, cosa è stato trovato e deciso, e il verdetto del data lake",
    "Personal data: select one file to see what was found in it.":
        "Dati personali: seleziona un solo file per vedere cosa vi è stato trovato.",
    "Personal data: this file was not scanned (no table or text in it).":
        "Dati personali: questo file non è stato analizzato (non contiene tabelle né testo).",
    "Personal data: none found.": "Dati personali: nessuno trovato.",
    "Personal data found (%1): look at these columns before uploading.":
        "Dati personali trovati (%1): controlla queste colonne prima di caricare.",
    "Pseudonymised copy %1 will be uploaded instead of the file.":
        "Verrà caricata la copia pseudonimizzata %1 al posto del file.",
    "No receipt": "Nessuna ricevuta",
    "There is no receipt for %1 on this computer.": "Su questo computer non c'è una ricevuta per %1.",
    "Pseudonymise %1": "Pseudonimizza %1",
    "The copy replaces this file in the list; the file itself is not changed. The same value gets the same "
    "pseudonym with the project's key (kept in this computer's keyring).":
        "La copia sostituisce questo file nell'elenco; il file stesso non viene modificato. Lo stesso valore "
        "riceve lo stesso pseudonimo con la chiave del progetto (conservata nel portachiavi di questo computer).",
    "Keep": "Mantieni",
    "Pseudonymise (keyed hash)": "Pseudonimizza (hash con chiave)",
    "Drop": "Elimina",
    "Project (its key makes the pseudonyms)": "Progetto (la sua chiave genera gli pseudonimi)",
    "Copy written to": "Copia scritta in",
    "Receipt: %1": "Ricevuta: %1",
    "Files with personal data found in them": "File in cui sono stati trovati dati personali",
    "Why these files must be uploaded with personal data": "Perché questi file vanno caricati con i dati personali",
    "e.g. ethics committee approval 42/2026": "es. approvazione del comitato etico 42/2026",
    "%1 file(s) need a confirmation before they go up (this lake's policy, or a file declared without personal "
    "data): say why they must be uploaded as they are. Your name, the time and the reason are recorded in their "
    "metadata.":
        "%1 file richiedono una conferma prima del caricamento (la regola di questo data lake, o un file dichiarato "
        "senza dati personali): indica perché vanno caricati così come sono. Il tuo nome, l'ora e il motivo sono "
        "registrati nei loro metadati.",
    "Reason they must be uploaded with personal data (optional; recorded in their metadata):":
        "Motivo per cui vanno caricati con i dati personali (facoltativo; registrato nei loro metadati):",
    "Personal data was found in %1 file(s): see below.": "Sono stati trovati dati personali in %1 file: vedi sotto.",
    "set when you confirm the upload, if personal data was found":
        "impostato quando confermi il caricamento, se sono stati trovati dati personali",
    "set by Pseudonymise… below": "impostato da Pseudonimizza… qui sotto",
}


def main() -> int:
    sources = sorted(str(p) for p in (ROOT / "planet_gui" / "qt").rglob("*.py"))
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
