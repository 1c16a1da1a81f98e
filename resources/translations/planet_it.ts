<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="it_IT">
<context>
    <name>ConflictAsker</name>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="43" />
        <source>validated</source>
        <translation>validato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="43" />
        <source>in triage</source>
        <translation>da verificare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="44" />
        <source>waiting for validation</source>
        <translation>in attesa di validazione</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="45" />
        <source>%1 is already in the lake (%2) as
%3</source>
        <translation>%1 è già nel data lake (%2) come
%3</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="48" />
        <source>It has the same content.</source>
        <translation>Ha lo stesso contenuto.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="49" />
        <source>Already in the lake</source>
        <translation>Già nel data lake</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="51" />
        <source>Upload under a new name</source>
        <translation>Carica con un nuovo nome</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="54" />
        <source>Replace it</source>
        <translation>Sostituiscilo</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/conflicts.py" line="55" />
        <source>Skip this file</source>
        <translation>Salta questo file</translation>
    </message>
</context>
<context>
    <name>FilesModel</name>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="26" />
        <source>inspecting</source>
        <translation>analisi in corso</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="27" />
        <source>ready</source>
        <translation>pronto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="28" />
        <source>missing fields</source>
        <translation>campi mancanti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="29" />
        <source>uploading</source>
        <translation>caricamento</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="30" />
        <source>pending</source>
        <translation>in attesa</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="31" />
        <source>validated</source>
        <translation>validato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="32" />
        <source>triage</source>
        <translation>da verificare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="33" />
        <source>failed</source>
        <translation>errore</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="58" />
        <source>%1 left</source>
        <translation>%1 rimasti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="96" />
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="98" />
        <source>Status</source>
        <translation>Stato</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="22" />
        <source>Log in to PLANET</source>
        <translation>Accedi a PLANET</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="28" />
        <source>Contacting the identity provider…</source>
        <translation>Contatto con il fornitore di identità…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="46" />
        <source>Scan with a phone to log in there</source>
        <translation>Inquadra con il telefono per accedere da lì</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="48" />
        <source>Open the login page</source>
        <translation>Apri la pagina di accesso</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="51" />
        <source>Copy code</source>
        <translation>Copia il codice</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="54" />
        <source>Cancel</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="80" />
        <source>Open the page below, sign in, and check that it shows this code:</source>
        <translation>Apri la pagina qui sotto, accedi e verifica che mostri questo codice:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="97" />
        <source>Time left: %1:%2</source>
        <translation>Tempo rimasto: %1:%2</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/login_dialog.py" line="113" />
        <source>Close</source>
        <translation>Chiudi</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="66" />
        <location filename="../../planet_gui/qt/main_window.py" line="208" />
        <source>PLANET Uploader</source>
        <translation>PLANET Uploader</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="78" />
        <source>Drop files or folders here, or use Add files…</source>
        <translation>Trascina qui file o cartelle, oppure usa Aggiungi file…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="104" />
        <source>Metadata</source>
        <translation>Metadati</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="105" />
        <source>Preview</source>
        <translation>Anteprima</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="113" />
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="115" />
        <location filename="../../planet_gui/qt/main_window.py" line="224" />
        <source>Log in</source>
        <translation>Accedi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="117" />
        <source>Add files…</source>
        <translation>Aggiungi file…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="119" />
        <source>Remove</source>
        <translation>Rimuovi</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="121" />
        <source>Submit</source>
        <translation>Invia</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="123" />
        <location filename="../../planet_gui/qt/main_window.py" line="202" />
        <source>Pause uploads</source>
        <translation>Sospendi i caricamenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="128" />
        <location filename="../../planet_gui/qt/main_window.py" line="223" />
        <location filename="../../planet_gui/qt/main_window.py" line="355" />
        <source>Not logged in</source>
        <translation>Accesso non effettuato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="132" />
        <source>Profile:</source>
        <translation>Profilo:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="138" />
        <source>Ready</source>
        <translation>Pronto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="181" />
        <source>Profile not switched</source>
        <translation>Profilo non cambiato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="182" />
        <source>Wait until the current uploads have a verdict before switching.</source>
        <translation>Attendi l'esito dei caricamenti in corso prima di cambiare profilo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="202" />
        <source>Resume uploads</source>
        <translation>Riprendi i caricamenti</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="216" />
        <source>Checking stored login…</source>
        <translation>Verifica dell'accesso salvato…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="228" />
        <source>Log out</source>
        <translation>Esci</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="249" />
        <source>Logged in as %1</source>
        <translation>Accesso effettuato come %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="268" />
        <source>Add files</source>
        <translation>Aggiungi file</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="355" />
        <source>Please log in before submitting files.</source>
        <translation>Accedi prima di inviare i file.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="361" />
        <source>Nothing to submit</source>
        <translation>Niente da inviare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="362" />
        <source>No selected file is ready: fill in the required fields first.</source>
        <translation>Nessun file selezionato è pronto: compila prima i campi obbligatori.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="365" />
        <source>Upload %1 file(s) to the data lake?</source>
        <translation>Caricare %1 file nel data lake?</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="367" />
        <source>%1 file(s) with missing fields stay here.</source>
        <translation>%1 file con campi mancanti restano qui.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="368" />
        <source>Confirm upload</source>
        <translation>Conferma il caricamento</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="419" />
        <source>Uploading %1 file(s): %2</source>
        <translation>Caricamento di %1 file: %2</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="427" />
        <source>Waiting for the server's validation</source>
        <translation>In attesa della validazione del server</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="450" />
        <source>Accepted into %1</source>
        <translation>Accettato in %1</translation>
    </message>
</context>
<context>
    <name>MetadataForm</name>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="59" />
        <location filename="../../planet_gui/qt/metadata_form.py" line="106" />
        <source>set when uploading</source>
        <translation>impostato al caricamento</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/metadata_form.py" line="93" />
        <location filename="../../planet_gui/qt/metadata_form.py" line="102" />
        <location filename="../../planet_gui/qt/metadata_form.py" line="106" />
        <source>(several values)</source>
        <translation>(valori diversi)</translation>
    </message>
</context>
</TS>