<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="it_IT">
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
        <location filename="../../planet_gui/qt/files_model.py" line="70" />
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/files_model.py" line="72" />
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
        <location filename="../../planet_gui/qt/main_window.py" line="64" />
        <location filename="../../planet_gui/qt/main_window.py" line="190" />
        <source>PLANET Uploader</source>
        <translation>PLANET Uploader</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="76" />
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
        <location filename="../../planet_gui/qt/main_window.py" line="206" />
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
        <location filename="../../planet_gui/qt/main_window.py" line="125" />
        <location filename="../../planet_gui/qt/main_window.py" line="205" />
        <location filename="../../planet_gui/qt/main_window.py" line="330" />
        <source>Not logged in</source>
        <translation>Accesso non effettuato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="129" />
        <source>Profile:</source>
        <translation>Profilo:</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="135" />
        <source>Ready</source>
        <translation>Pronto</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="175" />
        <source>Profile not switched</source>
        <translation>Profilo non cambiato</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="176" />
        <source>Wait until the current uploads have a verdict before switching.</source>
        <translation>Attendi l'esito dei caricamenti in corso prima di cambiare profilo.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="198" />
        <source>Checking stored login…</source>
        <translation>Verifica dell'accesso salvato…</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="210" />
        <source>Log out</source>
        <translation>Esci</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="231" />
        <source>Logged in as %1</source>
        <translation>Accesso effettuato come %1</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="250" />
        <source>Add files</source>
        <translation>Aggiungi file</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="330" />
        <source>Please log in before submitting files.</source>
        <translation>Accedi prima di inviare i file.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="336" />
        <source>Nothing to submit</source>
        <translation>Niente da inviare</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="337" />
        <source>No selected file is ready: fill in the required fields first.</source>
        <translation>Nessun file selezionato è pronto: compila prima i campi obbligatori.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="340" />
        <source>Upload %1 file(s) to the data lake?</source>
        <translation>Caricare %1 file nel data lake?</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="342" />
        <source>%1 file(s) with missing fields stay here.</source>
        <translation>%1 file con campi mancanti restano qui.</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="343" />
        <source>Confirm upload</source>
        <translation>Conferma il caricamento</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="386" />
        <source>Waiting for the server's validation</source>
        <translation>In attesa della validazione del server</translation>
    </message>
    <message>
        <location filename="../../planet_gui/qt/main_window.py" line="409" />
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