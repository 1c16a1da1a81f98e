<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="it_IT">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="34" />
        <source>Log in</source>
        <translation>Accedi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="35" />
        <source>Add files…</source>
        <translation>Aggiungi file…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="36" />
        <source>Add files to upload (Ctrl+O); folders can be dropped</source>
        <translation>Aggiungi file da caricare (Ctrl+O); si possono anche trascinare cartelle</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="37" />
        <source>Remove</source>
        <translation>Rimuovi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="38" />
        <source>Remove the selected files from the list (Delete); an upload running is cancelled</source>
        <translation>Togli i file selezionati dall'elenco (Canc); un caricamento in corso viene annullato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="41" />
        <source>Submit</source>
        <translation>Invia</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="42" />
        <source>Upload the selected files, or every ready one (Ctrl+Return)</source>
        <translation>Carica i file selezionati, o tutti quelli pronti (Ctrl+Invio)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="44" />
        <source>Cancel upload</source>
        <translation>Annulla caricamento</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="45" />
        <source>Stop the selected uploads; nothing of them stays on the server</source>
        <translation>Ferma i caricamenti selezionati; sul server non ne resta nulla</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="46" />
        <source>Retry</source>
        <translation>Riprova</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="47" />
        <source>Try the selected failed files again</source>
        <translation>Riprova i file selezionati non riusciti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="48" />
        <source>Pause uploads</source>
        <translation>Sospendi i caricamenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="51" />
        <source>Bandwidth limit…</source>
        <translation>Limite di banda…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="52" />
        <source>Cap the speed of all uploads, for a shared network</source>
        <translation>Limita la velocità di tutti i caricamenti, per una rete condivisa</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="53" />
        <source>Save as template…</source>
        <translation>Salva come modello…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="54" />
        <source>Keep these values for a watched folder's new files</source>
        <translation>Conserva questi valori per i nuovi file di una cartella sorvegliata</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="55" />
        <source>Interrupted uploads…</source>
        <translation>Caricamenti interrotti…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="57" />
        <source>Quit</source>
        <translation>Esci dal programma</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="58" />
        <source>Help</source>
        <translation>Guida</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="76" />
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="78" />
        <source>Watch a folder…</source>
        <translation>Sorveglia una cartella…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="79" />
        <source>&amp;Uploads</source>
        <translation>&amp;Caricamenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="82" />
        <source>&amp;Help</source>
        <translation>&amp;Aiuto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="85" />
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="90" />
        <source>Not logged in</source>
        <translation>Accesso non effettuato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="95" />
        <source>Profile:</source>
        <translation>Profilo:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="99" />
        <source>Profile</source>
        <translation>Profilo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="105" />
        <source>Add files (Ctrl+O) or drop files and folders on the window. Each file is read and its metadata filled in; select files to review and edit it in the form on the right (several files at once edit them all).</source>
        <translation>Aggiungi file (Ctrl+O) o trascina file e cartelle sulla finestra. Ogni file viene letto e i suoi metadati compilati; seleziona i file per rivederli e modificarli nel modulo a destra (selezionando più file li modifichi tutti insieme).</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="108" />
        <source>Submit (Ctrl+Return) uploads the selected files, or every ready one. Each file then waits for the lake's validation: validated, or triage with the reasons.</source>
        <translation>Invia (Ctrl+Invio) carica i file selezionati, o tutti quelli pronti. Ogni file attende poi la validazione del data lake: validato, oppure in triage con i motivi.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="110" />
        <source>Keys: Ctrl+O add · Delete remove · Ctrl+Return submit · Tab to the form · F1 help · Ctrl+Q quit.</source>
        <translation>Tasti: Ctrl+O aggiungi · Canc rimuovi · Ctrl+Invio invia · Tab al modulo · F1 guida · Ctrl+Q esci.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_actions.py" line="115" />
        <source>PLANET Uploader help</source>
        <translation>Guida di PLANET Uploader</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="57" />
        <source>Confirm upload</source>
        <translation>Conferma il caricamento</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="60" />
        <source>Upload %1 file(s) to the data lake?</source>
        <translation>Caricare %1 file nel data lake?</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="75" />
        <source>Files to upload and their names in the lake</source>
        <translation>File da caricare e loro nomi nel data lake</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="76" />
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="87" />
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="76" />
        <source>Name in the lake</source>
        <translation>Nome nel data lake</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="86" />
        <source>Files with personal data found in them</source>
        <translation>File in cui sono stati trovati dati personali</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="87" />
        <source>Personal data found</source>
        <translation>Trovati dati personali</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="101" />
        <source>Why these files must be uploaded with personal data</source>
        <translation>Perché questi file vanno caricati con i dati personali</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="102" />
        <source>e.g. ethics committee approval 42/2026</source>
        <translation>es. approvazione del comitato etico 42/2026</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="124" />
        <source>%1 file(s) need a confirmation before they go up (this lake's policy, or a file declared without personal data): say why they must be uploaded as they are. Your name, the time and the reason are recorded in their metadata.</source>
        <translation>%1 file richiedono una conferma prima del caricamento (la regola di questo data lake, o un file dichiarato senza dati personali): indica perché vanno caricati così come sono. Il tuo nome, l'ora e il motivo sono registrati nei loro metadati.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="128" />
        <source>Reason they must be uploaded with personal data (optional; recorded in their metadata):</source>
        <translation>Motivo per cui vanno caricati con i dati personali (facoltativo; registrato nei loro metadati):</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="147" />
        <source>Total size: %1</source>
        <translation>Dimensione totale: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="149" />
        <source>Categories: %1</source>
        <translation>Categorie: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="152" />
        <source>Destination: %1</source>
        <translation>Destinazione: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="158" />
        <source>%1 file(s) whose metadata needs fixing stay here.</source>
        <translation>%1 file con metadati da correggere restano qui.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="161" />
        <source>%1 file(s) say they contain personal data.</source>
        <translation>%1 file dichiarano di contenere dati personali.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="164" />
        <source>Personal data was found in %1 file(s): see below.</source>
        <translation>Sono stati trovati dati personali in %1 file: vedi sotto.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/confirm_dialog.py" line="167" />
        <source>%1 file(s) would get the same name in the lake; you will be asked about each.</source>
        <translation>%1 file avrebbero lo stesso nome nel data lake; ti verrà chiesto per ciascuno.</translation>
    </message>
</context>
<context>
    <name>ConflictAsker</name>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="85" />
        <source>Do the same for the other files already in the lake (%1 waiting)</source>
        <translation>Fai lo stesso per gli altri file già nel data lake (%1 in attesa)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="87" />
        <source>Do the same for the other files already in the lake</source>
        <translation>Fai lo stesso per gli altri file già nel data lake</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="92" />
        <source>validated</source>
        <translation>validato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="92" />
        <source>in triage</source>
        <translation>da verificare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="93" />
        <source>waiting for validation</source>
        <translation>in attesa di validazione</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="94" />
        <source>%1 is already in the lake (%2) as
%3</source>
        <translation>%1 è già nel data lake (%2) come
%3</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="97" />
        <source>It has the same content.</source>
        <translation>Ha lo stesso contenuto.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="98" />
        <source>Already in the lake</source>
        <translation>Già nel data lake</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="100" />
        <source>Upload under a new name</source>
        <translation>Carica con un nuovo nome</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="103" />
        <source>Replace it</source>
        <translation>Sostituiscilo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="104" />
        <source>Skip this file</source>
        <translation>Salta questo file</translation>
    </message>
</context>
<context>
    <name>CoreErrors</name>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="16" />
        <source>Something went wrong</source>
        <extracomment>every title the core gives its errors (a test keeps this in step with the core), marked for lupdate</extracomment>
        <translation>Qualcosa è andato storto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="17" />
        <source>Profile problem</source>
        <translation>Problema con il profilo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="18" />
        <source>Metadata schema problem</source>
        <translation>Problema con lo schema dei metadati</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="19" />
        <source>Cannot read this file</source>
        <translation>Impossibile leggere questo file</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="20" />
        <source>Login problem</source>
        <translation>Problema di accesso</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="21" />
        <source>Not logged in</source>
        <translation>Accesso non effettuato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="22" />
        <source>Session ended</source>
        <translation>Sessione terminata</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="23" />
        <source>Storage credentials problem</source>
        <translation>Problema con le credenziali di archiviazione</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="24" />
        <source>Storage problem</source>
        <translation>Problema di archiviazione</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="25" />
        <source>Metadata is not valid</source>
        <translation>I metadati non sono validi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="26" />
        <source>Login cancelled</source>
        <translation>Accesso annullato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="27" />
        <source>Login denied</source>
        <translation>Accesso negato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="28" />
        <source>Already in the lake</source>
        <translation>Già nel data lake</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="29" />
        <source>Metadata sidecar problem</source>
        <translation>Problema con il file dei metadati associato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="30" />
        <source>File changed</source>
        <translation>File modificato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="31" />
        <source>File gone</source>
        <translation>File non più presente</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="32" />
        <source>Upload damaged</source>
        <translation>Caricamento danneggiato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="33" />
        <source>Download damaged</source>
        <translation>Scaricamento danneggiato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="34" />
        <source>Upload cancelled</source>
        <translation>Caricamento annullato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="35" />
        <source>Upload interrupted</source>
        <translation>Caricamento interrotto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="36" />
        <source>Storage server unreachable</source>
        <translation>Server di archiviazione irraggiungibile</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="37" />
        <source>Storage access refused</source>
        <translation>Accesso all'archivio rifiutato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="38" />
        <source>Untrusted storage server</source>
        <translation>Server di archiviazione non attendibile</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="39" />
        <source>Untrusted identity provider</source>
        <translation>Fornitore di identità non attendibile</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="40" />
        <source>Template problem</source>
        <translation>Problema con il modello</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="41" />
        <source>Cannot watch</source>
        <translation>Impossibile sorvegliare la cartella</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="42" />
        <source>Upload journal problem</source>
        <translation>Problema con il registro dei caricamenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="43" />
        <source>Cannot scan this file</source>
        <translation>Impossibile analizzare questo file</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="44" />
        <source>Cannot pseudonymise this file</source>
        <translation>Impossibile pseudonimizzare questo file</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="45" />
        <source>No key for pseudonyms</source>
        <translation>Nessuna chiave per gli pseudonimi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="46" />
        <source>Personal data found</source>
        <translation>Trovati dati personali</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="47" />
        <source>Cannot resubmit</source>
        <translation>Impossibile inviare di nuovo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="48" />
        <source>Curation refused</source>
        <translation>Decisione del curatore rifiutata</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="49" />
        <source>Unexpected error</source>
        <translation>Errore imprevisto</translation>
    </message>
</context>
<context>
    <name>FilesMixin</name>
    <message>
        <location filename="../../planet_gui/qt/window_files.py" line="48" />
        <source>Add files</source>
        <translation>Aggiungi file</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_files.py" line="56" />
        <location filename="../../planet_gui/qt/window_files.py" line="66" />
        <source>Looking for files…</source>
        <translation>Ricerca dei file…</translation>
    </message>
</context>
<context>
    <name>FilesModel</name>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="51" />
        <source>inspecting</source>
        <translation>analisi in corso</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="48" />
        <location filename="../../planet_gui/qt/files_model.py" line="52" />
        <source>ready</source>
        <extracomment>the order a sort by Status follows: what needs the user first</extracomment>
        <translation>pronto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="53" />
        <source>to fix</source>
        <translation>da correggere</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="54" />
        <source>uploading</source>
        <translation>caricamento</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="55" />
        <source>pending</source>
        <translation>in attesa</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="56" />
        <source>validated</source>
        <translation>validato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="57" />
        <source>triage</source>
        <translation>da verificare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="58" />
        <source>failed</source>
        <translation>errore</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="59" />
        <source>being written</source>
        <translation>in scrittura</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="60" />
        <source>skipped</source>
        <translation>saltato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="61" />
        <source>interrupted</source>
        <translation>interrotto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="87" />
        <source>%1 left</source>
        <translation>%1 rimasti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="140" />
        <source>File</source>
        <extracomment>the file's name, the schema's fields flagged ``column`` (in schema order), where it stands</extracomment>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="142" />
        <source>Status</source>
        <translation>Stato</translation>
    </message>
</context>
<context>
    <name>FilesView</name>
    <message>
        <location filename="../../planet_gui/qt/files_view.py" line="130" />
        <source>Files to upload</source>
        <translation>File da caricare</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../planet_gui/qt/files_view.py" line="101" />
        <location filename="../../planet_gui/qt/files_view.py" line="102" />
        <source>Search file names</source>
        <translation>Cerca nei nomi dei file</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_view.py" line="106" />
        <source>Show files in state</source>
        <translation>Mostra i file nello stato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_view.py" line="107" />
        <source>All files</source>
        <translation>Tutti i file</translation>
    </message>
</context>
<context>
    <name>FolderWatch</name>
    <message>
        <location filename="../../planet_gui/qt/folder_watch.py" line="85" />
        <source>Unexpected error</source>
        <translation>Errore imprevisto</translation>
    </message>
</context>
<context>
    <name>GridView</name>
    <message>
        <location filename="../../planet_gui/qt/preview/grid_view.py" line="56" />
        <source>Click the map to plot a point's series.</source>
        <translation>Fai clic sulla mappa per tracciare la serie di un punto.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/grid_view.py" line="63" />
        <source>Variable:</source>
        <translation>Variabile:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/grid_view.py" line="108" />
        <source>All of this file is one point: %1</source>
        <translation>Tutto questo file è un solo punto: %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="27" />
        <source>Log in to PLANET</source>
        <translation>Accedi a PLANET</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="33" />
        <source>Contacting the identity provider…</source>
        <translation>Contatto con il fornitore di identità…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="51" />
        <source>Scan with a phone to log in there</source>
        <translation>Inquadra con il telefono per accedere da lì</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="52" />
        <source>QR code of the login page</source>
        <translation>Codice QR della pagina di accesso</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="54" />
        <source>Open the login page</source>
        <translation>Apri la pagina di accesso</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="57" />
        <source>Copy code</source>
        <translation>Copia il codice</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="60" />
        <source>Cancel</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="87" />
        <source>Open the page below, sign in, and check that it shows this code:</source>
        <translation>Apri la pagina qui sotto, accedi e verifica che mostri questo codice:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="92" />
        <source>Scan with a phone to open %1 there</source>
        <translation>Inquadralo con il telefono per aprire lì %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="106" />
        <source>Time left: %1:%2</source>
        <translation>Tempo rimasto: %1:%2</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="122" />
        <source>Close</source>
        <translation>Chiudi</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="115" />
        <source>PLANET Uploader</source>
        <extracomment>how long a thread holds the GIL before another that waits gets it (Python's default: 5 ms). The UI thread gives the GIL up at many Qt calls; with readers and uploads running, each wait for it back cost up to 5 ms per waiting thread, and a slot of a dozen Qt calls stalled the window for 100 ms and more (tests/bench/bench_gui.py) added files are read on threads of their own, their results reach the table in batches</extracomment>
        <translation>PLANET Uploader</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="127" />
        <source>Drop files or folders here, or use Add files…</source>
        <translation>Trascina qui file o cartelle, oppure usa Aggiungi file…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="175" />
        <source>Metadata</source>
        <extracomment>the session whose uploads the bridge follows, and how to stop following it</extracomment>
        <translation>Metadati</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="176" />
        <source>Preview</source>
        <translation>Anteprima</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="285" />
        <source>Log in</source>
        <translation>Accedi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="284" />
        <location filename="../../planet_gui/qt/main_window.py" line="480" />
        <source>Not logged in</source>
        <translation>Accesso non effettuato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="202" />
        <source>Ready</source>
        <translation>Pronto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="259" />
        <source>Checking stored login…</source>
        <translation>Verifica dell'accesso salvato…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="289" />
        <location filename="../../planet_gui/qt/main_window.py" line="302" />
        <source>Log out</source>
        <translation>Disconnetti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="303" />
        <source>Log out of %1? Files in the list stay; uploading them needs a new login.</source>
        <translation>Disconnettersi da %1? I file nell'elenco restano; per caricarli servirà un nuovo accesso.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="331" />
        <source>Logged in as %1</source>
        <translation>Accesso effettuato come %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="369" />
        <source>%1 file(s)</source>
        <translation>%1 file</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="480" />
        <source>Please log in before watching a folder.</source>
        <translation>Accedi prima di sorvegliare una cartella.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="483" />
        <source>Watching %1</source>
        <translation>Sorveglianza di %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="497" />
        <source>Waiting until the file stops changing</source>
        <translation>In attesa che il file smetta di cambiare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="526" />
        <source>Stopped watching the folder.</source>
        <translation>Sorveglianza della cartella interrotta.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="545" />
        <source>Saved the template %1.</source>
        <translation>Modello %1 salvato.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="568" />
        <source>Accepted into %1</source>
        <translation>Accettato in %1</translation>
    </message>
</context>
<context>
    <name>MetadataForm</name>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="117" />
        <source>Pick %1 from a calendar</source>
        <translation>Scegli %1 da un calendario</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="158" />
        <source>YYYY-MM-DD or %1</source>
        <translation>AAAA-MM-GG o %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="257" />
        <source>(empty)</source>
        <translation>(vuoto)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="259" />
        <source>The lake holds: %1</source>
        <translation>Il lake contiene: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="274" />
        <source>set when you confirm the upload, if personal data was found</source>
        <translation>impostato quando confermi il caricamento, se sono stati trovati dati personali</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="276" />
        <source>set by Pseudonymise… below</source>
        <translation>impostato da Pseudonimizza… qui sotto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="277" />
        <source>set when uploading</source>
        <translation>impostato al caricamento</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="178" />
        <source>Set for all selected files?</source>
        <translation>Impostare per tutti i file selezionati?</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="82" />
        <source>Destination</source>
        <extracomment>day-first forms people type besides ISO 8601 (the local short format is tried too)</extracomment>
        <translation>Destinazione</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="83" />
        <source>Where the file goes in the lake (a folder and its bucket, from the profile)</source>
        <translation>Dove va il file nel lake (una cartella e il suo bucket, dal profilo)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="179" />
        <source>The %1 selected files have different values for %2. Set it to “%3” for all of them?</source>
        <translation>I %1 file selezionati hanno valori diversi per %2. Impostarlo a “%3” per tutti?</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="229" />
        <location filename="../../planet_gui/qt/metadata_form.py" line="243" />
        <location filename="../../planet_gui/qt/metadata_form.py" line="247" />
        <source>(several values)</source>
        <translation>(valori diversi)</translation>
    </message>
</context>
<context>
    <name>MyUploadsDock</name>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="126" />
        <location filename="../../planet_gui/qt/my_uploads.py" line="317" />
        <source>My uploads</source>
        <translation>I miei caricamenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="143" />
        <source>Search file, key or reason</source>
        <translation>Cerca file, chiave o motivo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="144" />
        <source>Search my uploads</source>
        <translation>Cerca nei miei caricamenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="148" />
        <source>Show uploads in state</source>
        <translation>Mostra i caricamenti nello stato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="149" />
        <source>All states</source>
        <translation>Tutti gli stati</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="153" />
        <source>Refresh</source>
        <translation>Aggiorna</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="156" />
        <source>Receipt…</source>
        <translation>Ricevuta…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="158" />
        <source>The receipt of the selected upload's submission (every file sent with it), kept on this computer</source>
        <translation>La ricevuta dell'invio del caricamento selezionato (ogni file inviato con esso), conservata su questo computer</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="197" />
        <source>There is no receipt for %1 on this computer.</source>
        <translation>Su questo computer non c'è una ricevuta per %1.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="221" />
        <source>Asking the lake…</source>
        <translation>Richiesta al lake…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="245" />
        <source>%1 uploads: %2 validated, %3 in triage, %4 waiting</source>
        <translation>%1 caricamenti: %2 validati, %3 in triage, %4 in attesa</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="146" />
        <source>Rows</source>
        <extracomment>the data behind the plot and map (a TablePreview or a GridPreview), for tests and screenshots</extracomment>
        <translation>Righe</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="147" />
        <source>Columns</source>
        <translation>Colonne</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="148" />
        <source>Plot</source>
        <translation>Grafico</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="149" />
        <source>Map</source>
        <translation>Mappa</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="150" />
        <source>Structure</source>
        <translation>Struttura</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="151" />
        <source>Text</source>
        <translation>Testo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="181" />
        <location filename="../../planet_gui/qt/preview/pane.py" line="182" />
        <location filename="../../planet_gui/qt/preview/pane.py" line="192" />
        <source>Reading the file…</source>
        <translation>Lettura del file…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="215" />
        <source>This preview could not be read: %1</source>
        <translation>Questa anteprima non si è potuta leggere: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="226" />
        <source>Drawing the plot…</source>
        <translation>Disegno del grafico…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="263" />
        <source>integer</source>
        <translation>intero</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="263" />
        <source>float</source>
        <translation>decimale</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="263" />
        <source>number</source>
        <translation>numero</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="264" />
        <source>datetime</source>
        <translation>data e ora</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="264" />
        <source>date</source>
        <translation>data</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="264" />
        <source>time</source>
        <translation>ora</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="265" />
        <source>string</source>
        <translation>testo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="265" />
        <source>boolean</source>
        <translation>vero/falso</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="265" />
        <source>empty</source>
        <translation>vuota</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="269" />
        <source>Column</source>
        <translation>Colonna</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="269" />
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="269" />
        <source>Missing</source>
        <translation>Mancanti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="269" />
        <source>Min</source>
        <translation>Min</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="269" />
        <source>Max</source>
        <translation>Max</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="270" />
        <source>Most frequent</source>
        <translation>Più frequenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="278" />
        <source>all different</source>
        <translation>tutti diversi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="288" />
        <source>Computed on the first %1 rows.</source>
        <translation>Calcolato sulle prime %1 righe.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="300" />
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/pane.py" line="300" />
        <source>Value</source>
        <translation>Valore</translation>
    </message>
</context>
<context>
    <name>PrivacyPanel</name>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="77" />
        <source>Personal data found, by column</source>
        <extracomment>identifiers a table is joined on: a pseudonym keeps them joinable; the rest is dropped by default</extracomment>
        <translation>Dati personali trovati, per colonna</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="78" />
        <source>Column</source>
        <translation>Colonna</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="78" />
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="78" />
        <source>Count</source>
        <translation>Quanti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="79" />
        <source>Examples (masked)</source>
        <translation>Esempi (mascherati)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="79" />
        <source>Confidence</source>
        <translation>Affidabilità</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="83" />
        <source>Pseudonymise…</source>
        <translation>Pseudonimizza…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="85" />
        <source>Upload a copy with chosen columns replaced by keyed pseudonyms or dropped; the file itself stays as it is</source>
        <translation>Carica una copia con le colonne scelte sostituite da pseudonimi con chiave o eliminate; il file resta com'è</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="88" />
        <source>Receipt…</source>
        <translation>Ricevuta…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="90" />
        <source>What was uploaded, by whom, what was found and decided, and the lake's verdict</source>
        <translation>Cosa è stato caricato, da chi, cosa è stato trovato e deciso, e il verdetto del data lake</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="113" />
        <source>Personal data: select one file to see what was found in it.</source>
        <translation>Dati personali: seleziona un solo file per vedere cosa vi è stato trovato.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="116" />
        <source>Personal data: this file was not scanned (no table or text in it).</source>
        <translation>Dati personali: questo file non è stato analizzato (non contiene tabelle né testo).</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="118" />
        <source>Personal data: none found.</source>
        <translation>Dati personali: nessuno trovato.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="120" />
        <source>Personal data found (%1): look at these columns before uploading.</source>
        <translation>Dati personali trovati (%1): controlla queste colonne prima di caricare.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="181" />
        <source>Pseudonymised copy %1 will be uploaded instead of the file.</source>
        <translation>Verrà caricata la copia pseudonimizzata %1 al posto del file.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="200" />
        <source>No receipt</source>
        <translation>Nessuna ricevuta</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="201" />
        <source>There is no receipt for %1 on this computer.</source>
        <translation>Su questo computer non c'è una ricevuta per %1.</translation>
    </message>
</context>
<context>
    <name>ProblemBanner</name>
    <message>
        <location filename="../../planet_gui/qt/banner.py" line="31" />
        <source>Problems of the selected file</source>
        <translation>Problemi del file selezionato</translation>
    </message>
</context>
<context>
    <name>ProfilesMixin</name>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="42" />
        <location filename="../../planet_gui/qt/window_profiles.py" line="76" />
        <source>Import profile…</source>
        <translation>Importa profilo…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="58" />
        <source>Import a profile</source>
        <translation>Importa un profilo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="59" />
        <source>Profiles (*.toml);;All files (*)</source>
        <translation>Profili (*.toml);;Tutti i file (*)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="65" />
        <source>Profile %1 imported.</source>
        <translation>Profilo %1 importato.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="71" />
        <source>Welcome to PLANET Uploader</source>
        <translation>Benvenuto in PLANET Uploader</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="72" />
        <source>To upload to your data lake, import the profile file its administrators gave you. Until then the example profile is open: it needs a lake you run yourself on this computer. You can import your profile later from the Profile list.</source>
        <translation>Per caricare nel tuo data lake, importa il file di profilo che ti hanno dato i suoi amministratori. Fino ad allora è aperto il profilo di esempio: richiede un data lake che gestisci tu su questo computer. Puoi importare il tuo profilo più tardi dall'elenco dei profili.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="77" />
        <source>Later</source>
        <translation>Più tardi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="88" />
        <source>Profile not switched</source>
        <translation>Profilo non cambiato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="89" />
        <source>Wait until the current uploads have a verdict, and stop watching the folder, before switching.</source>
        <translation>Attendi l'esito dei caricamenti in corso, e smetti di sorvegliare la cartella, prima di cambiare profilo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_profiles.py" line="132" />
        <source>PLANET Uploader</source>
        <translation>PLANET Uploader</translation>
    </message>
</context>
<context>
    <name>PseudonymiseDialog</name>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="254" />
        <source>Pseudonymise %1</source>
        <translation>Pseudonimizza %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="261" />
        <source>The copy replaces this file in the list; the file itself is not changed. The same value gets the same pseudonym with the project's key (kept in this computer's keyring).</source>
        <translation>La copia sostituisce questo file nell'elenco; il file stesso non viene modificato. Lo stesso valore riceve lo stesso pseudonimo con la chiave del progetto (conservata nel portachiavi di questo computer).</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="270" />
        <source>Keep</source>
        <translation>Mantieni</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="271" />
        <source>Pseudonymise (keyed hash)</source>
        <translation>Pseudonimizza (hash con chiave)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="272" />
        <source>Drop</source>
        <translation>Elimina</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="282" />
        <source>Project (its key makes the pseudonyms)</source>
        <translation>Progetto (la sua chiave genera gli pseudonimi)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="285" />
        <source>Copy written to</source>
        <translation>Copia scritta in</translation>
    </message>
</context>
<context>
    <name>QueuePersistence</name>
    <message>
        <location filename="../../planet_gui/qt/queue_persist.py" line="126" />
        <source>Inspect again</source>
        <extracomment>rows copied per flush on the UI thread; more wait for the next event-loop turn (a bulk edit of 1,000 rows copied at once stalled the window ~40 ms, a frame and more, after each pause in typing) rows that are about a file still being written by a watched folder's source: not work of the user's states whose file must still be on disk to go on</extracomment>
        <translation>Ispeziona di nuovo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/queue_persist.py" line="128" />
        <source>Read the selected files again and infer their metadata; what you typed stays</source>
        <translation>Rilegge i file selezionati e ne deduce i metadati; quanto hai scritto resta</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/queue_persist.py" line="169" />
        <source>The list of files cannot be saved on this computer (%1); it will not come back after a restart.</source>
        <translation>L'elenco dei file non può essere salvato su questo computer (%1); non tornerà dopo un riavvio.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/queue_persist.py" line="346" />
        <source>Interrupted when the app stopped: it resumes where it stopped once you choose Resume all (Uploads ▸ Interrupted uploads…)</source>
        <translation>Interrotto quando l'app si è chiusa: riprende da dove si era fermato quando scegli Riprendi tutti (Caricamenti ▸ Caricamenti interrotti…)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/queue_persist.py" line="349" />
        <source>The file is no longer at %1: add it again from where it is now.</source>
        <translation>Il file non è più in %1: aggiungilo di nuovo da dove si trova ora.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/queue_persist.py" line="375" />
        <source>%1 file(s) from last time are back in the list.</source>
        <translation>%1 file dell'ultima volta sono di nuovo nell'elenco.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/queue_persist.py" line="443" />
        <source>Could not infer the metadata (%1: %2). Type it in by hand, or use Inspect again.</source>
        <translation>Impossibile dedurre i metadati (%1: %2). Scrivili a mano, oppure usa Ispeziona di nuovo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/queue_persist.py" line="485" />
        <source>The upload was cancelled; nothing of it is left on the server.</source>
        <translation>Il caricamento è stato annullato; sul server non ne resta nulla.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/queue_persist.py" line="522" />
        <source>%1 of the selected files have warnings.</source>
        <translation>%1 dei file selezionati hanno avvisi.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="75" />
        <source>Please log in first.</source>
        <translation>Accedi prima.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="79" />
        <source>validated</source>
        <translation>validato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="80" />
        <source>in triage</source>
        <translation>da verificare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="81" />
        <source>waiting for validation</source>
        <translation>in attesa di validazione</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="84" />
        <source>The same content is already in the lake as %1 (%2). The file was not sent again.</source>
        <translation>Lo stesso contenuto è già nel data lake come %1 (%2). Il file non è stato inviato di nuovo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/error_titles.py" line="87" />
        <source>%1 is already in the lake (%2). The file was not sent; submit it again to upload it under a new name.</source>
        <translation>%1 è già nel data lake (%2). Il file non è stato inviato; invialo di nuovo per caricarlo con un nuovo nome.</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="349" />
        <source>Receipt: %1</source>
        <translation>Ricevuta: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="351" />
        <source>Whole submission…</source>
        <translation>Intero invio…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="359" />
        <source>Submission receipt: %1</source>
        <translation>Ricevuta dell'invio: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/privacy_panel.py" line="361" />
        <source>This file only</source>
        <translation>Solo questo file</translation>
    </message>
</context>
<context>
    <name>ResumeOfferDialog</name>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="64" />
        <source>Interrupted uploads</source>
        <translation>Caricamenti interrotti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="66" />
        <source>Uploads interrupted last time: %1. Resume them where they stopped? Only the missing parts are sent.</source>
        <translation>Caricamenti interrotti l'ultima volta: %1. Riprenderli dal punto in cui si sono fermati? Vengono inviate solo le parti mancanti.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="71" />
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="71" />
        <source>Object key</source>
        <translation>Chiave dell'oggetto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="71" />
        <source>Sent</source>
        <translation>Inviato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="82" />
        <source>%1 is no longer there: it cannot be resumed, and what reached the server is removed.</source>
        <translation>%1 non c'è più: non si può riprendere, e quanto già arrivato al server viene rimosso.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="88" />
        <source>Resume all</source>
        <translation>Riprendi tutti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="89" />
        <source>Discard</source>
        <translation>Scarta</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="90" />
        <source>Cancel these uploads: what reached the server is removed.</source>
        <translation>Annulla questi caricamenti: quanto già arrivato al server viene rimosso.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="91" />
        <source>Later</source>
        <translation>Più tardi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="92" />
        <source>Keep them for now; Uploads ▸ Interrupted uploads… offers them again.</source>
        <translation>Tienili per ora; Caricamenti ▸ Caricamenti interrotti… li ripropone.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="109" />
        <source>the file is gone</source>
        <translation>il file non c'è più</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/resume_offer.py" line="110" />
        <source>%1 of %2 sent</source>
        <translation>%1 di %2 inviato</translation>
    </message>
</context>
<context>
    <name>RetrieveActions</name>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="32" />
        <source>Copy snippet</source>
        <translation>Copia il codice Python</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="33" />
        <source>Copy Python (pandas/xarray) that opens this file from the lake</source>
        <translation>Copia il codice Python (pandas/xarray) che apre questo file dal data lake</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="34" />
        <source>Copy link</source>
        <translation>Copia il link</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="35" />
        <source>Copy a link that downloads this file for a day, without a login</source>
        <translation>Copia un link che scarica questo file per un giorno, senza accesso</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="36" />
        <source>Download…</source>
        <translation>Scarica…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="47" />
        <source>Select one file the lake has validated first.</source>
        <translation>Seleziona prima un file che il data lake ha convalidato.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="71" />
        <source>Python that opens %1 copied: paste it in a notebook.</source>
        <translation>Codice Python che apre %1 copiato: incollalo in un notebook.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="91" />
        <source>Link to %1 copied; anyone holding it can download the file until %2.</source>
        <translation>Link a %1 copiato; chiunque lo abbia può scaricare il file fino a %2.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="100" />
        <source>Save %1</source>
        <translation>Salva %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="117" />
        <source>Saved %1 (SHA-256 checked).</source>
        <translation>Salvato %1 (SHA-256 verificato).</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/retrieve_actions.py" line="118" />
        <source>Saved %1 (the lake recorded no SHA-256: not checked).</source>
        <translation>Salvato %1 (il data lake non ha registrato alcuno SHA-256: non verificato).</translation>
    </message>
</context>
<context>
    <name>RowNotes</name>
    <message>
        <location filename="../../planet_gui/qt/row_notes.py" line="24" />
        <source>Object key: %1</source>
        <translation>Chiave dell'oggetto: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/row_notes.py" line="27" />
        <source>SHA-256: %1</source>
        <translation>SHA-256: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/row_notes.py" line="30" />
        <source>Uploaded by: %1</source>
        <translation>Caricato da: %1</translation>
    </message>
</context>
<context>
    <name>Sandbox</name>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="96" />
        <source>Starting the sandbox lake on this computer…</source>
        <translation>Avvio del data lake di prova su questo computer…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="97" />
        <source>Starting the sandbox…</source>
        <translation>Avvio della prova…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="108" />
        <source>The sandbox is running on this computer: log in to try it.</source>
        <translation>Il data lake di prova è attivo su questo computer: accedi per provarlo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="113" />
        <source>Not logged in</source>
        <translation>Accesso non effettuato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="114" />
        <source>The sandbox did not start</source>
        <translation>Il data lake di prova non si è avviato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="135" />
        <source>Try it on this computer</source>
        <translation>Prova su questo computer</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="138" />
        <source>Start a sandbox lake on this computer, with a sandbox user: log in, upload and see the verdicts, with no account anywhere. Nothing leaves this computer.</source>
        <translation>Avvia un data lake di prova su questo computer, con un utente di prova: accedi, carica e guarda gli esiti, senza un account. Nulla esce da questo computer.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="141" />
        <source>No profile yet? "Try it on this computer" starts a sandbox lake here, with a sandbox user: log in, upload files and see the lake's verdicts, with no account.</source>
        <translation>Non hai ancora un profilo? "Prova su questo computer" avvia qui un data lake di prova, con un utente di prova: accedi, carica i file e guarda gli esiti del data lake, senza un account.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="155" />
        <source>Sandbox (this computer)</source>
        <translation>Prova (questo computer)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="156" />
        <source>A lake on this computer, to try the app; nothing reaches an institution's lake</source>
        <translation>Un data lake su questo computer, per provare l'app; nulla raggiunge il data lake di un ente</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/sandbox_ui.py" line="161" />
        <source>SANDBOX — uploads stay on this computer</source>
        <translation>PROVA — i caricamenti restano su questo computer</translation>
    </message>
</context>
<context>
    <name>SaveTemplateDialog</name>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="50" />
        <source>Save as template</source>
        <translation>Salva come modello</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="53" />
        <source>A template fills in these values for each new file of a watched folder. What is read from each file (format, record count, period, column names) is left out, and so is any value that differs between the selected files.</source>
        <translation>Un modello compila questi valori per ogni nuovo file di una cartella sorvegliata. Quanto si legge da ogni file (formato, numero di record, periodo, nomi delle colonne) è escluso, come ogni valore che differisce tra i file selezionati.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="62" />
        <source>e.g. ARPA daily PM10</source>
        <translation>ad es. ARPA PM10 giornaliero</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="66" />
        <source>Field</source>
        <translation>Campo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="66" />
        <source>Value</source>
        <translation>Valore</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="78" />
        <source>Name:</source>
        <translation>Nome:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="80" />
        <source>Save</source>
        <translation>Salva</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="82" />
        <source>Cancel</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="101" />
        <source>yes</source>
        <translation>sì</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="101" />
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="113" />
        <source>Nothing to save: the selected files share no value a template could keep.</source>
        <translation>Niente da salvare: i file selezionati non hanno in comune alcun valore che un modello possa conservare.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/template_dialog.py" line="115" />
        <source>A template named %1 exists; saving replaces it.</source>
        <translation>Esiste già un modello %1; salvando lo sostituisci.</translation>
    </message>
</context>
<context>
    <name>TablePlot</name>
    <message>
        <location filename="../../planet_gui/qt/preview/plots.py" line="37" />
        <source>Column:</source>
        <translation>Colonna:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/plots.py" line="77" />
        <source>One line per %1.</source>
        <translation>Una linea per %1.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/plots.py" line="79" />
        <source>The %1 largest of %2 shown.</source>
        <translation>Mostrati i %1 più grandi su %2.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/preview/plots.py" line="82" />
        <source>First %1 rows of the file.</source>
        <translation>Prime %1 righe del file.</translation>
    </message>
</context>
<context>
    <name>TriageFixer</name>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="37" />
        <source>Resubmit with these corrections</source>
        <translation>Invia di nuovo con queste correzioni</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="39" />
        <source>The lake copies the file it already holds back for validation, with the corrected metadata; nothing is uploaded again.</source>
        <translation>Il lake ricopia il file che già contiene per la validazione, con i metadati corretti; nulla viene caricato di nuovo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="69" />
        <source>Reading what the lake holds for this file…</source>
        <translation>Lettura di ciò che il lake contiene per questo file…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="85" />
        <source>A curator rejected this file; it cannot be resubmitted.</source>
        <translation>Un curatore ha respinto questo file; non può essere inviato di nuovo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="109" />
        <source>Still to correct: %1</source>
        <translation>Ancora da correggere: %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="111" />
        <source>Corrected: %1. Resubmit to have the lake check it again.</source>
        <translation>Corretto: %1. Invia di nuovo perché il lake lo controlli ancora.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="114" />
        <source>In triage. Correct the fields marked below, then resubmit.</source>
        <translation>In triage. Correggi i campi segnati qui sotto, poi invia di nuovo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="137" />
        <source>Resubmitting…</source>
        <translation>Nuovo invio…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="150" />
        <source>Resubmitted with corrections; waiting for the server's validation</source>
        <translation>Inviato di nuovo con le correzioni; in attesa della validazione del server</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/triage_fix.py" line="153" />
        <source>Resubmitted %1; nothing was uploaded again.</source>
        <translation>%1 inviato di nuovo; nulla è stato ricaricato.</translation>
    </message>
</context>
<context>
    <name>UploadsMixin</name>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="72" />
        <source>Bandwidth limit</source>
        <extracomment>declared here, set by the window: the dialogs on screen (None when none is), the session whose uploads the bridge follows and how to stop following it, the status bar's text about all uploads</extracomment>
        <translation>Limite di banda</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="73" />
        <source>Upload at most (KiB/s, 0 for no limit):</source>
        <translation>Carica al massimo a (KiB/s, 0 senza limite):</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="100" />
        <source>Uploads limited to %1/s</source>
        <translation>Caricamenti limitati a %1/s</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="102" />
        <source>(from the next uploads)</source>
        <translation>(dai prossimi caricamenti)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="111" />
        <source>Resume uploads</source>
        <translation>Riprendi i caricamenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="111" />
        <source>Pause uploads</source>
        <translation>Sospendi i caricamenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="129" />
        <location filename="../../planet_gui/qt/window_uploads.py" line="346" />
        <source>Not logged in</source>
        <translation>Accesso non effettuato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="129" />
        <source>Please log in before submitting files.</source>
        <translation>Accedi prima di inviare i file.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="135" />
        <source>Nothing to submit</source>
        <translation>Niente da inviare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="136" />
        <source>No selected file is ready: fill in the required fields first.</source>
        <translation>Nessun file selezionato è pronto: compila prima i campi obbligatori.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="227" />
        <source>Uploading %1 file(s): %2</source>
        <translation>Caricamento di %1 file: %2</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="248" />
        <source>Upload cancelled; nothing of it is left on the server.</source>
        <translation>Caricamento annullato; sul server non ne resta nulla.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="250" />
        <source>Upload interrupted; it continues where it stopped when submitted again.</source>
        <translation>Caricamento interrotto; riprende da dove si è fermato quando lo invii di nuovo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="273" />
        <source>Waiting for the server's validation</source>
        <translation>In attesa della validazione del server</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="326" />
        <source>No interrupted uploads.</source>
        <translation>Nessun caricamento interrotto.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="340" />
        <source>Interrupted uploads wait; Uploads ▸ Interrupted uploads… offers them again.</source>
        <translation>I caricamenti interrotti restano in attesa; Caricamenti ▸ Caricamenti interrotti… li ripropone.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="346" />
        <source>Please log in before resuming uploads.</source>
        <translation>Accedi prima di riprendere i caricamenti.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="357" />
        <source>Resuming where it stopped</source>
        <translation>Ripresa dal punto in cui si era fermato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="368" />
        <source>Resuming %1 interrupted upload(s).</source>
        <translation>Ripresa di %1 caricamenti interrotti.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/window_uploads.py" line="379" />
        <source>Discarded %1 interrupted upload(s); nothing of them is left on the server.</source>
        <translation>Scartati %1 caricamenti interrotti; sul server non ne resta nulla.</translation>
    </message>
</context>
<context>
    <name>UploadsModel</name>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="57" />
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="57" />
        <source>Attempt</source>
        <translation>Tentativo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="57" />
        <source>Uploaded</source>
        <translation>Caricato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="57" />
        <source>Status</source>
        <translation>Stato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="58" />
        <source>Verdict at</source>
        <translation>Esito il</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="58" />
        <source>Reasons</source>
        <translation>Motivi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="58" />
        <source>Object key</source>
        <translation>Chiave dell'oggetto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="59" />
        <source>validated</source>
        <translation>validato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="59" />
        <source>triage</source>
        <translation>da verificare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="60" />
        <source>waiting for validation</source>
        <translation>in attesa di validazione</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="60" />
        <source>not in the lake</source>
        <translation>non è nel lake</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="61" />
        <source>not checked yet</source>
        <translation>non ancora controllato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="87" />
        <source>fix</source>
        <translation>correzione</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="87" />
        <source>upload</source>
        <translation>caricamento</translation>
    </message>
</context>
<context>
    <name>VerdictNotifier</name>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="283" />
        <source>Upload validated</source>
        <translation>Caricamento validato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="284" />
        <source>%1 was accepted into the lake.</source>
        <translation>%1 è stato accettato nel lake.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="286" />
        <source>Upload in triage</source>
        <translation>Caricamento in triage</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="287" />
        <source>%1 needs attention: %2</source>
        <translation>%1 richiede attenzione: %2</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="291" />
        <source>Verdicts arrived</source>
        <translation>Sono arrivati degli esiti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/my_uploads.py" line="292" />
        <source>%1 validated, %2 in triage.</source>
        <translation>%1 validati, %2 in triage.</translation>
    </message>
</context>
<context>
    <name>WatchPanel</name>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="34" />
        <source>Watched folder</source>
        <translation>Cartella sorvegliata</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="44" />
        <source>the folder where new files arrive</source>
        <translation>la cartella in cui arrivano i nuovi file</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="45" />
        <source>Choose…</source>
        <translation>Scegli…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="50" />
        <source>Its values are merged over what is read from each new file. Save one from the metadata form with Save as template…</source>
        <translation>I suoi valori prevalgono su quanto letto da ogni nuovo file. Salvane uno dal modulo dei metadati con Salva come modello…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="52" />
        <location filename="../../planet_gui/qt/watch_panel.py" line="92" />
        <source>(no template)</source>
        <translation>(nessun modello)</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="53" />
        <location filename="../../planet_gui/qt/watch_panel.py" line="130" />
        <source>Start watching</source>
        <translation>Avvia la sorveglianza</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="56" />
        <location filename="../../planet_gui/qt/watch_panel.py" line="134" />
        <source>Not watching.</source>
        <translation>Nessuna cartella sorvegliata.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="62" />
        <source>Folder:</source>
        <translation>Cartella:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="65" />
        <source>Template:</source>
        <translation>Modello:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="104" />
        <source>Folder to watch</source>
        <translation>Cartella da sorvegliare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="112" />
        <source>Stopping…</source>
        <translation>Arresto in corso…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="116" />
        <source>Choose the folder to watch first.</source>
        <translation>Scegli prima la cartella da sorvegliare.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="124" />
        <source>Stop watching</source>
        <translation>Ferma la sorveglianza</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="149" />
        <source>Watching %1</source>
        <translation>Sorveglianza di %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="151" />
        <source>with the template %1</source>
        <translation>con il modello %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="156" />
        <source>%1 uploaded</source>
        <translation>%1 caricati</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="157" />
        <source>%1 being written</source>
        <translation>%1 in scrittura</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="158" />
        <source>%1 skipped</source>
        <translation>%1 saltati</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/watch_panel.py" line="159" />
        <source>%1 failed</source>
        <translation>%1 con errori</translation>
    </message>
</context>
</TS>