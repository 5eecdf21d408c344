<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AttachmentPainter</name>
    <message>
        <source>%1, %2, %3</source>
        <extracomment>A file attached to a message, for screen readers; %1 name, %2 type, %3 size.</extracomment>
        <translation>%1, %2, %3</translation>
    </message>
    <message>
        <source>Attachments: %1. Press Enter to open or save.</source>
        <extracomment>Screen-reader description of a message&apos;s files; %1 the list. Enter opens or saves.</extracomment>
        <translation>Anhänge: %1. Drücken Sie die Eingabetaste zum Öffnen oder Speichern.</translation>
    </message>
    <message>
        <source>Picture not available</source>
        <translation>Bild nicht verfügbar</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <extracomment>Under a file&apos;s name on its card; %1 its size, %2 its type.</extracomment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Picture not loaded yet. Natter will try again.</source>
        <extracomment>In place of a picture that could not be loaded for now (natterd unreachable).</extracomment>
        <translation>Bild noch nicht geladen. Natter versucht es erneut.</translation>
    </message>
</context>
<context>
    <name>CliCommandLine</name>
    <message>
        <source>Run `natter-cli --help` for the commands.</source>
        <translation>Die Befehle zeigt `natter-cli --help`.</translation>
    </message>
    <message>
        <source>No command given.</source>
        <translation>Kein Befehl angegeben.</translation>
    </message>
    <message>
        <source>“%1” is not a valid profile name (use letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;).</source>
        <translation>„%1“ ist kein gültiger Profilname (erlaubt sind Buchstaben, Ziffern, &apos;-&apos;, &apos;_&apos; und &apos;.&apos;).</translation>
    </message>
    <message>
        <source>Wrong number of arguments for “%1”.</source>
        <translation>Falsche Anzahl von Argumenten für „%1“.</translation>
    </message>
    <message>
        <source>The message is empty.</source>
        <translation>Die Nachricht ist leer.</translation>
    </message>
    <message>
        <source>--limit takes a number from 1 to 200.</source>
        <translation>--limit erwartet eine Zahl von 1 bis 200.</translation>
    </message>
    <message>
        <source>Unknown command “%1”.</source>
        <translation>Unbekannter Befehl „%1“.</translation>
    </message>
    <message>
        <source>--user is for the other commands; `login` takes the user name itself.</source>
        <translation>--user ist für die anderen Befehle; `login` erhält den Benutzernamen selbst.</translation>
    </message>
    <message>
        <source>SEQ must be a message number (1 or more).</source>
        <translation>SEQ muss eine Nachrichtennummer sein (1 oder größer).</translation>
    </message>
    <message>
        <source>--reply-to takes a message number (1 or more).</source>
        <translation>--reply-to erwartet eine Nachrichtennummer (1 oder mehr).</translation>
    </message>
    <message>
        <source>EMOJI is empty.</source>
        <translation>EMOJI ist leer.</translation>
    </message>
    <message>
        <source>--reply-to only goes with send.</source>
        <translation>--reply-to gibt es nur mit send.</translation>
    </message>
    <message>
        <source>--off only goes with react.</source>
        <translation>--off gibt es nur mit react.</translation>
    </message>
    <message>
        <source>“%1” is not a channel name: 1 to 64 lower-case letters, digits, “-” or “_”, starting with a letter or digit.</source>
        <translation>„%1“ ist kein Kanalname: 1 bis 64 Kleinbuchstaben, Ziffern, „-“ oder „_“, beginnend mit einem Buchstaben oder einer Ziffer.</translation>
    </message>
    <message>
        <source>The level is one of all, mentions or nothing.</source>
        <translation>Die Stufe ist all, mentions oder nothing.</translation>
    </message>
    <message>
        <source>--limit takes a number from 1 to 50.</source>
        <translation>--limit erwartet eine Zahl von 1 bis 50.</translation>
    </message>
    <message>
        <source>--all only goes with channels.</source>
        <translation>--all gibt es nur mit channels.</translation>
    </message>
    <message>
        <source>--topic, --private and --member only go with create.</source>
        <translation>--topic, --private und --member gibt es nur mit create.</translation>
    </message>
    <message>
        <source>--limit only goes with history and search.</source>
        <translation>--limit gibt es nur mit history und search.</translation>
    </message>
    <message>
        <source>A message carries at most %1 files.</source>
        <translation>Eine Nachricht kann höchstens %1 Dateien enthalten.</translation>
    </message>
    <message>
        <source>Cannot read the file “%1”.</source>
        <translation>Die Datei „%1“ kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>-o only goes with download.</source>
        <translation>-o gibt es nur mit download.</translation>
    </message>
    <message>
        <source>--attach only goes with send.</source>
        <translation>--attach gibt es nur mit send.</translation>
    </message>
    <message>
        <source>Usage: natter-cli [--server URL] [--profile NAME] [--user USER] COMMAND [ARGS]

Commands:
  login USER              Sign in and keep the sign-in in the system keychain.
                          The password is asked for on the terminal (not shown),
                          or read from the first line of stdin when it is not a
                          terminal.
  channels [--all]        List your channels: name, id, last seq. With --all: the
                          channel directory (public channels and your private
                          ones) with member counts and topics.
  create NAME [--topic T] [--private] [--member USER]...
                          Create a channel (NAME: 1-64 of a-z, 0-9, - and _),
                          public unless --private, with the people named.
  join CHANNEL            Join a public channel.
  leave CHANNEL           Leave a channel.
  invite CHANNEL USER...  Add people to a channel you are in.
  dm USER [TEXT]          Open the direct conversation with USER; with TEXT, send
                          it there.
  send CHANNEL TEXT [--reply-to SEQ] [--attach FILE]...
                          Send TEXT to CHANNEL (a name like general, or an id);
                          exits once the server has stored it. With --reply-to:
                          as a reply to message number SEQ, which it quotes.
                          With --attach (repeatable): the files go up first and
                          the message carries them, in order; TEXT may then be
                          left out.
  upload CHANNEL FILE [--text TEXT]
                          Upload FILE to CHANNEL without sending a message; prints
                          the file&apos;s id (with --json: the server&apos;s file object).
                          A file no message carries is deleted after 24 hours.
                          With --text: then send one message with TEXT and the
                          file, like send CHANNEL TEXT --attach FILE.
  listen [--json]         Print every event as it arrives until stopped (Ctrl+C):
                          messages (with the message they reply to and whom they
                          mention), edits, deletions and reactions.
                          With --json: one JSON object per line.
  history CHANNEL [--limit N]
                          Print the newest N messages (default 50, at most 200).
  search QUERY [--limit N]
                          Search the messages of your channels, newest first
                          (default 20, at most 50): words, &quot;a phrase&quot;, word*,
                          -word, from:USER, in:CHANNEL, before:YYYY-MM-DD,
                          after:YYYY-MM-DD, has:file, has:link. Quote QUERY for
                          the shell; put -- before a QUERY that starts with -.
  download FILE_ID [-o PATH]
                          Save a file of a message (its id is in history --json
                          and listen --json) to PATH, or under its own name in the
                          current directory. Run it again after an interruption
                          to continue where it stopped.
  edit CHANNEL SEQ TEXT   Replace the text of your message number SEQ in CHANNEL.
  delete CHANNEL SEQ      Delete message number SEQ in CHANNEL (yours, or any as
                          an admin).
  react CHANNEL SEQ EMOJI [--off]
                          React with EMOJI (one emoji) to message number SEQ in
                          CHANNEL; with --off, take your reaction back.
  notify CHANNEL all|mentions|nothing
                          Which messages of CHANNEL notify you, on all your
                          devices: every message, mentions of you, or none.
  logout                  Sign out on the server and forget the kept sign-in.

Options:
  --server URL            The server (http, https, ws or wss). Remembered by login.
  --profile NAME          Keep settings and sign-in apart per profile (default:
                          &quot;default&quot;), e.g. for two accounts on one machine.
  --user USER             Sign in as USER for this one command only (password as
                          for login); nothing is kept and the session is revoked
                          afterwards.
  --json                  Machine-readable output (channels, history, listen, send,
                          edit, delete, react, notify, search, upload,
                          download).
  --reply-to SEQ          send: reply to message number SEQ.
  --attach FILE           send: attach FILE (up to 10 times).
  --off                   react: remove your reaction instead of adding it.
  --limit N               How many messages history or search prints.
  -o, --output PATH       download: where to save the file.
  --timeout SECONDS       Give up after SECONDS without an answer (default 30).
  --verbose               Also print progress messages of the connection.
  -h, --help              Show this help.
  -v, --version           Show the version.

Without a working system keychain (no Secret Service, locked or denied) natter-cli
cannot keep a sign-in between runs and never writes it to a file instead: `login`
then only checks your password, says so, and signs out again; use --user USER with
each command instead.

Exit codes:
  0  success
  1  usage error (unknown command, missing or bad argument)
  2  authentication needed or failed (not signed in, wrong password, expired)
  3  network: server unreachable, TLS problem, or no answer in time
  4  the server refused (rate limited, unknown channel, not your message,
     no such message, edit window over, server error)
</source>
        <translation>Aufruf: natter-cli [--server URL] [--profile NAME] [--user USER] COMMAND [ARGS]

Befehle:
  login USER              Anmelden und die Anmeldung im Schlüsselbund des
                          Systems behalten. Das Passwort wird im Terminal
                          abgefragt (ohne Anzeige) oder aus der ersten Zeile der
                          Standardeingabe gelesen, wenn diese kein Terminal ist.
  channels [--all]        Ihre Kanäle auflisten: Name, ID, letzte Seq. Mit
                          --all: das Kanalverzeichnis (öffentliche Kanäle und
                          Ihre privaten) mit Mitgliederzahlen und Themen.
  create NAME [--topic T] [--private] [--member USER]...
                          Einen Kanal erstellen (NAME: 1–64 Zeichen aus a-z,
                          0-9, - und _), öffentlich außer mit --private, mit den
                          genannten Personen.
  join CHANNEL            Einem öffentlichen Kanal beitreten.
  leave CHANNEL           Einen Kanal verlassen.
  invite CHANNEL USER...  Personen zu einem Kanal hinzufügen, in dem Sie sind.
  dm USER [TEXT]          Das Direktgespräch mit USER öffnen; mit TEXT diesen
                          dorthin senden.
  send CHANNEL TEXT [--reply-to SEQ] [--attach FILE]...
                          TEXT an CHANNEL senden (ein Name wie general oder eine
                          ID); endet, sobald der Server ihn gespeichert hat. Mit
                          --reply-to: als Antwort auf Nachricht Nummer SEQ, die
                          zitiert wird. Mit --attach (wiederholbar): Die Dateien
                          werden zuerst hochgeladen, und die Nachricht enthält
                          sie in dieser Reihenfolge; TEXT kann dann entfallen.
  upload CHANNEL FILE [--text TEXT]
                          FILE in CHANNEL hochladen, ohne eine Nachricht zu
                          senden; gibt die ID der Datei aus (mit --json: das
                          Dateiobjekt des Servers). Eine Datei, die in keiner
                          Nachricht steckt, wird nach 24 Stunden gelöscht.
                          Mit --text: danach eine Nachricht mit TEXT und der
                          Datei senden, wie send CHANNEL TEXT --attach FILE.
  listen [--json]         Jedes Ereignis bei Eintreffen ausgeben, bis zum
                          Abbruch (Strg+C): Nachrichten (mit der Nachricht, auf
                          die sie antworten, und wen sie erwähnen),
                          Bearbeitungen, Löschungen und Reaktionen.
                          Mit --json: ein JSON-Objekt pro Zeile.
  history CHANNEL [--limit N]
                          Die neuesten N Nachrichten ausgeben (Standard 50,
                          höchstens 200).
  search QUERY [--limit N]
                          Die Nachrichten Ihrer Kanäle durchsuchen, neueste
                          zuerst (Standard 20, höchstens 50): Wörter, &quot;eine
                          Phrase&quot;, wort*, -wort, from:USER, in:CHANNEL,
                          before:YYYY-MM-DD, after:YYYY-MM-DD, has:file,
                          has:link. Setzen Sie QUERY für die Shell in
                          Anführungszeichen; schreiben Sie -- vor eine QUERY,
                          die mit - beginnt.
  download FILE_ID [-o PATH]
                          Eine Datei einer Nachricht (ihre ID steht in history
                          --json und listen --json) unter PATH speichern oder
                          unter ihrem eigenen Namen im aktuellen Verzeichnis.
                          Nach einer Unterbrechung erneut ausführen, um dort
                          fortzufahren, wo das Herunterladen aufgehört hat.
  edit CHANNEL SEQ TEXT   Den Text Ihrer Nachricht Nummer SEQ in CHANNEL
                          ersetzen.
  delete CHANNEL SEQ      Nachricht Nummer SEQ in CHANNEL löschen (Ihre eigene
                          oder als Admin jede).
  react CHANNEL SEQ EMOJI [--off]
                          Mit EMOJI (einem Emoji) auf Nachricht Nummer SEQ in
                          CHANNEL reagieren; mit --off Ihre Reaktion
                          zurücknehmen.
  notify CHANNEL all|mentions|nothing
                          Bei welchen Nachrichten von CHANNEL Sie auf allen
                          Ihren Geräten benachrichtigt werden: bei jeder
                          Nachricht, bei Erwähnungen von Ihnen oder bei keiner.
  logout                  Beim Server abmelden und die behaltene Anmeldung
                          vergessen.

Optionen:
  --server URL            Der Server (http, https, ws oder wss). Wird von login
                          gespeichert.
  --profile NAME          Einstellungen und Anmeldung je Profil getrennt halten
                          (Standard: &quot;default&quot;), z. B. für zwei Konten auf einem
                          Rechner.
  --user USER             Nur für diesen einen Befehl als USER anmelden
                          (Passwort wie bei login); nichts wird behalten, und
                          die Sitzung wird danach widerrufen.
  --json                  Maschinenlesbare Ausgabe (channels, history, listen,
                          send, edit, delete, react, notify, search, upload,
                          download).
  --reply-to SEQ          send: auf Nachricht Nummer SEQ antworten.
  --attach FILE           send: FILE anhängen (bis zu 10-mal).
  --off                   react: Ihre Reaktion entfernen, statt sie
                          hinzuzufügen.
  --limit N               Wie viele Nachrichten history oder search ausgibt.
  -o, --output PATH       download: wo die Datei gespeichert wird.
  --timeout SECONDS       Nach SECONDS Sekunden ohne Antwort aufgeben
                          (Standard 30).
  --verbose               Auch Fortschrittsmeldungen der Verbindung ausgeben.
  -h, --help              Diese Hilfe anzeigen.
  -v, --version           Die Version anzeigen.

Ohne funktionierenden Schlüsselbund des Systems (kein Secret Service, gesperrt
oder verweigert) kann natter-cli eine Anmeldung nicht zwischen Aufrufen behalten
und schreibt sie auch nie ersatzweise in eine Datei: `login` prüft dann nur Ihr
Passwort, meldet dies und meldet sich wieder ab; verwenden Sie stattdessen
--user USER bei jedem Befehl.

Exit-Codes:
  0  Erfolg
  1  Aufruffehler (unbekannter Befehl, fehlendes oder ungültiges Argument)
  2  Anmeldung nötig oder fehlgeschlagen (nicht angemeldet, falsches Passwort,
     abgelaufen)
  3  Netzwerk: Server nicht erreichbar, TLS-Problem oder keine rechtzeitige
     Antwort
  4  der Server hat abgelehnt (Ratenbegrenzung, unbekannter Kanal, nicht Ihre
     Nachricht, keine solche Nachricht, Bearbeitungsfrist abgelaufen,
     Serverfehler)
</translation>
    </message>
    <message>
        <source>--timeout takes a number of seconds from 1 to 3600.</source>
        <translation>--timeout erwartet eine Anzahl Sekunden von 1 bis 3600.</translation>
    </message>
</context>
<context>
    <name>CliRunner</name>
    <message>
        <source>Which server? Pass --server URL, for example --server https://chat.example.org</source>
        <translation>Welcher Server? Geben Sie --server URL an, zum Beispiel --server https://chat.example.org</translation>
    </message>
    <message>
        <source>Password for %1: </source>
        <translation>Passwort für %1: </translation>
    </message>
    <message>
        <source>No password given.</source>
        <translation>Kein Passwort angegeben.</translation>
    </message>
    <message>
        <source>natter-cli cannot keep this sign-in, so it signs out again now. Your password is correct; use --user %1 with each command instead.</source>
        <translation>natter-cli kann diese Anmeldung nicht behalten und meldet sich daher jetzt wieder ab. Ihr Passwort ist richtig; verwenden Sie stattdessen --user %1 bei jedem Befehl.</translation>
    </message>
    <message>
        <source>Signed in as %1 on %2.</source>
        <translation>Als %1 bei %2 angemeldet.</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>Nicht angemeldet.</translation>
    </message>
    <message>
        <source>Signed out.</source>
        <translation>Abgemeldet.</translation>
    </message>
    <message>
        <source>Which server? Pass --server URL.</source>
        <translation>Welcher Server? Geben Sie --server URL an.</translation>
    </message>
    <message>
        <source>Not signed in. Run `natter-cli login USER` first, or pass --user USER.</source>
        <translation>Nicht angemeldet. Führen Sie zuerst `natter-cli login USER` aus oder geben Sie --user USER an.</translation>
    </message>
    <message>
        <source>Not signed in to %1. Run `natter-cli --server %1 login USER` first, or pass --user USER.</source>
        <translation>Nicht bei %1 angemeldet. Führen Sie zuerst `natter-cli --server %1 login USER` aus oder geben Sie --user USER an.</translation>
    </message>
    <message>
        <source>Without a keychain, pass --user USER to sign in for this one command.</source>
        <translation>Ohne Schlüsselbund geben Sie --user USER an, um sich für diesen einen Befehl anzumelden.</translation>
    </message>
</context>
<context>
    <name>EventFormatter</name>
    <message>
        <source>Connected as %1 (%2 channels). Press Ctrl+C to stop.</source>
        <translation>Verbunden als %1 (%2 Kanäle). Beenden mit Strg+C.</translation>
    </message>
    <message>
        <source>%1 is typing in #%2</source>
        <translation>%1 schreibt in #%2</translation>
    </message>
    <message>
        <source>%1 stopped typing in #%2</source>
        <translation>%1 schreibt nicht mehr in #%2</translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation>%1 ist %2</translation>
    </message>
    <message>
        <source>Read #%1 up to %2</source>
        <translation>#%1 gelesen bis %2</translation>
    </message>
    <message>
        <source>New channel: %1</source>
        <translation>Neuer Kanal: %1</translation>
    </message>
    <message>
        <source>Server error (%1): %2</source>
        <translation>Serverfehler (%1): %2</translation>
    </message>
    <message>
        <source>You are no longer in %1</source>
        <translation>Sie sind nicht mehr in %1</translation>
    </message>
    <message>
        <source>The members of %1 changed</source>
        <translation>Die Mitglieder von %1 haben sich geändert</translation>
    </message>
    <message>
        <source>[%1] #%2 &lt;%3&gt; message %4 was deleted</source>
        <translation>[%1] #%2 &lt;%3&gt; Nachricht %4 wurde gelöscht</translation>
    </message>
    <message>
        <source>Too much changed in #%1 while away; reload its history to see it as it is now.</source>
        <translation>In #%1 hat sich während Ihrer Abwesenheit zu viel geändert; laden Sie den Verlauf neu, um den aktuellen Stand zu sehen.</translation>
    </message>
    <message>
        <source>[%1] #%2 &lt;%3&gt; (message %4, edited) %5</source>
        <translation>[%1] #%2 &lt;%3&gt; (Nachricht %4, bearbeitet) %5</translation>
    </message>
    <message>
        <source>(reply to message %1, deleted) </source>
        <translation>(Antwort auf Nachricht %1, gelöscht) </translation>
    </message>
    <message>
        <source>(reply to %1, message %2: “%3”) </source>
        <translation>(Antwort an %1, Nachricht %2: „%3“) </translation>
    </message>
    <message>
        <source>(mentions you) </source>
        <translation>(erwähnt Sie) </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>[%1] #%2 &lt;%3&gt; reactions on message %4: %5</source>
        <translation>[%1] #%2 &lt;%3&gt; Reaktionen auf Nachricht %4: %5</translation>
    </message>
    <message>
        <source>No messages match “%1”.</source>
        <translation>Keine Nachrichten passen zu „%1“.</translation>
    </message>
    <message>
        <source>    file: %1 (%2, %3) — natter-cli download %4</source>
        <translation>    Datei: %1 (%2, %3) – natter-cli download %4</translation>
    </message>
</context>
<context>
    <name>KeychainTokenStore</name>
    <message>
        <source>Access to the system keychain was denied.</source>
        <translation>Der Zugriff auf den Schlüsselbund des Systems wurde verweigert.</translation>
    </message>
    <message>
        <source>The saved sign-in could not be removed from the system keychain.</source>
        <translation>Die gespeicherte Anmeldung konnte nicht aus dem Schlüsselbund des Systems entfernt werden.</translation>
    </message>
    <message>
        <source>No system keychain is available (is a Secret Service such as GNOME Keyring or KWallet running and unlocked?).</source>
        <translation>Kein Schlüsselbund des Systems verfügbar (läuft ein Secret Service wie GNOME Keyring oder KWallet, und ist er entsperrt?).</translation>
    </message>
</context>
<context>
    <name>Natter::AboutDialog</name>
    <message>
        <source>About Natter</source>
        <translation>Über Natter</translation>
    </message>
    <message>
        <source>Natter logo</source>
        <translation>Natter-Logo</translation>
    </message>
    <message>
        <source>Team chat for people who would rather talk than configure.</source>
        <translation>Team-Chat für alle, die lieber reden als konfigurieren.</translation>
    </message>
    <message>
        <source>Free software under the %1.</source>
        <extracomment>%1 is the licence&apos;s name.</extracomment>
        <translation>Freie Software unter der %1.</translation>
    </message>
    <message>
        <source>Natter %1</source>
        <extracomment>%1 is the version number.</extracomment>
        <translation>Natter %1</translation>
    </message>
</context>
<context>
    <name>Natter::AttachmentChip</name>
    <message>
        <source>%1, %2</source>
        <extracomment>A file waiting to be sent: its name and its size, e.g. &quot;plan.pdf, 1.2 MB&quot;.</extracomment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Upload of %1</source>
        <translation>Hochladen von %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the upload of %1</source>
        <translation>Hochladen von %1 abbrechen</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for the server: the upload starts again in %n second(s).</source>
        <translation>
            <numerusform>Warten auf den Server: Das Hochladen beginnt in %n Sekunde erneut.</numerusform>
            <numerusform>Warten auf den Server: Das Hochladen beginnt in %n Sekunden erneut.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::AttachmentController</name>
    <message>
        <source>Save File</source>
        <extracomment>Title of the Save as… dialog for a file of a message.</extracomment>
        <translation>Datei speichern</translation>
    </message>
    <message>
        <source>Files of this message</source>
        <translation>Dateien dieser Nachricht</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>%1 öffnen</translation>
    </message>
    <message>
        <source>Save %1…</source>
        <translation>%1 speichern …</translation>
    </message>
    <message>
        <source>There is no room for a temporary copy of the picture.</source>
        <translation>Für eine temporäre Kopie des Bildes ist kein Platz.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <extracomment>Progress of saving a file of a message; %1 its name.</extracomment>
        <translation>%1 wird gespeichert …</translation>
    </message>
    <message>
        <source>Saving %1</source>
        <translation>%1 wird gespeichert</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stopped saving %1.</source>
        <extracomment>Status bar: the person stopped saving a file; %1 its name.</extracomment>
        <translation>Speichern von %1 abgebrochen.</translation>
    </message>
    <message>
        <source>Saved %1 to %2.</source>
        <extracomment>Status bar after a file was saved; %1 its name, %2 the path.</extracomment>
        <translation>%1 wurde unter %2 gespeichert.</translation>
    </message>
    <message>
        <source>File Saved</source>
        <translation>Datei gespeichert</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Öffnen</translation>
    </message>
    <message>
        <source>Natter does not open programs, scripts or launchers: they could run code on your computer. Open it yourself only if you trust where it came from.</source>
        <translation>Natter öffnet keine Programme, Skripte oder Starter, da diese Code auf Ihrem Computer ausführen könnten. Öffnen Sie die Datei nur dann selbst, wenn Sie ihrer Herkunft vertrauen.</translation>
    </message>
    <message>
        <source>File Not Saved</source>
        <translation>Datei nicht gespeichert</translation>
    </message>
    <message>
        <source>%1 was not saved. %2</source>
        <extracomment>%1 the file&apos;s name, %2 why (a sentence).</extracomment>
        <translation>%1 wurde nicht gespeichert. %2</translation>
    </message>
    <message>
        <source>&amp;Try Again</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
</context>
<context>
    <name>Natter::AttachmentTray</name>
    <message>
        <source>Attach Files…</source>
        <translation>Dateien anhängen …</translation>
    </message>
    <message>
        <source>Attach files to the message (%1)</source>
        <translation>Dateien an die Nachricht anhängen (%1)</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Dateien anhängen</translation>
    </message>
    <message>
        <source>Upload problem</source>
        <translation>Problem beim Hochladen</translation>
    </message>
    <message>
        <source>Attach Files</source>
        <translation>Dateien anhängen</translation>
    </message>
    <message>
        <source>The pasted image could not be saved for sending.</source>
        <translation>Das eingefügte Bild konnte nicht zum Senden gespeichert werden.</translation>
    </message>
    <message>
        <source>Pasted image %1.png</source>
        <extracomment>The name a pasted image gets; %1 is the date and time, e.g. &quot;2026-12-05 16.45.10&quot;.</extracomment>
        <translation>Eingefügtes Bild %1.png</translation>
    </message>
    <message>
        <source>Files cannot be added to a message being edited.</source>
        <translation>Zu einer Nachricht, die gerade bearbeitet wird, können keine Dateien hinzugefügt werden.</translation>
    </message>
    <message numerus="yes">
        <source>A message can carry at most %n file(s).</source>
        <translation>
            <numerusform>Eine Nachricht kann höchstens %n Datei enthalten.</numerusform>
            <numerusform>Eine Nachricht kann höchstens %n Dateien enthalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sending as soon as the files have uploaded…</source>
        <translation>Wird gesendet, sobald die Dateien hochgeladen sind …</translation>
    </message>
</context>
<context>
    <name>Natter::AuthClient</name>
    <message>
        <source>The server at %1 gave an answer Natter does not understand. Is it a Natter server?</source>
        <translation>Der Server unter %1 hat eine Antwort gegeben, die Natter nicht versteht. Ist es ein Natter-Server?</translation>
    </message>
    <message>
        <source>A secure connection to %1 could not be established (TLS problem).</source>
        <translation>Eine sichere Verbindung zu %1 konnte nicht hergestellt werden (TLS-Problem).</translation>
    </message>
    <message>
        <source>A secure connection to %1 could not be established: %2</source>
        <translation>Eine sichere Verbindung zu %1 konnte nicht hergestellt werden: %2</translation>
    </message>
    <message>
        <source>The server at %1 did not answer in time. Check the address and your network connection, then try again.</source>
        <translation>Der Server unter %1 hat nicht rechtzeitig geantwortet. Prüfen Sie die Adresse und Ihre Netzwerkverbindung und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>Cannot reach the server at %1. Check the address and your network connection.</source>
        <translation>Der Server unter %1 ist nicht erreichbar. Prüfen Sie die Adresse und Ihre Netzwerkverbindung.</translation>
    </message>
    <message>
        <source>Cannot talk to the server at %1: %2</source>
        <translation>Keine Verständigung mit dem Server unter %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Too many sign-in attempts. Please wait %n minute(s) before trying again.</source>
        <translation>
            <numerusform>Zu viele Anmeldeversuche. Bitte warten Sie %n Minute, bevor Sie es erneut versuchen.</numerusform>
            <numerusform>Zu viele Anmeldeversuche. Bitte warten Sie %n Minuten, bevor Sie es erneut versuchen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many sign-in attempts. Please wait %n second(s) before trying again.</source>
        <translation>
            <numerusform>Zu viele Anmeldeversuche. Bitte warten Sie %n Sekunde, bevor Sie es erneut versuchen.</numerusform>
            <numerusform>Zu viele Anmeldeversuche. Bitte warten Sie %n Sekunden, bevor Sie es erneut versuchen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>Falscher Benutzername oder falsches Passwort.</translation>
    </message>
    <message>
        <source>Your session has expired — please sign in again</source>
        <translation>Ihre Sitzung ist abgelaufen – bitte melden Sie sich erneut an</translation>
    </message>
    <message>
        <source>Your session is no longer valid — please sign in again</source>
        <translation>Ihre Sitzung ist nicht mehr gültig – bitte melden Sie sich erneut an</translation>
    </message>
    <message>
        <source>The server had a problem (HTTP %1). Please try again later.</source>
        <translation>Der Server hatte ein Problem (HTTP %1). Bitte versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>%1 does not look like a Natter server (no sign-in service found).</source>
        <translation>%1 scheint kein Natter-Server zu sein (kein Anmeldedienst gefunden).</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation>Der Server hat die Anfrage abgelehnt (HTTP %1).</translation>
    </message>
    <message>
        <source>No server address is set.</source>
        <translation>Es ist keine Serveradresse eingestellt.</translation>
    </message>
</context>
<context>
    <name>Natter::AuthSession</name>
    <message>
        <source>You are not signed in.</source>
        <translation>Sie sind nicht angemeldet.</translation>
    </message>
    <message>
        <source>Natter cannot use the system keychain, so it cannot remember this sign-in. You can keep chatting now, but you will have to sign in again next time.</source>
        <translation>Natter kann den Schlüsselbund des Systems nicht verwenden und sich diese Anmeldung daher nicht merken. Sie können jetzt weiterchatten, müssen sich beim nächsten Mal aber erneut anmelden.</translation>
    </message>
    <message>
        <source>You are signed out on this computer, but the server could not end the session there: %1 It ends there by itself when it expires.</source>
        <translation>Sie sind auf diesem Computer abgemeldet, aber der Server konnte die Sitzung dort nicht beenden: %1 Sie endet dort von selbst, wenn sie abläuft.</translation>
    </message>
</context>
<context>
    <name>Natter::BrowseChannelsDialog</name>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Beitreten</translation>
    </message>
    <message>
        <source>Browse channels</source>
        <translation>Kanäle durchsuchen</translation>
    </message>
    <message>
        <source>Search channels by name or topic</source>
        <translation>Kanäle nach Name oder Thema suchen</translation>
    </message>
    <message>
        <source>Search channels</source>
        <translation>Kanäle suchen</translation>
    </message>
    <message>
        <source>Channels on this server</source>
        <translation>Kanäle auf diesem Server</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>Join the selected channel and open it</source>
        <translation>Dem ausgewählten Kanal beitreten und ihn öffnen</translation>
    </message>
    <message>
        <source>%1 (archived)</source>
        <translation>%1 (archiviert)</translation>
    </message>
    <message>
        <source>%1 (joined)</source>
        <translation>%1 (beigetreten)</translation>
    </message>
    <message>
        <source>%1, members: %2, %3</source>
        <translation>%1, Mitglieder: %2, %3</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelActions</name>
    <message>
        <source>You left #%1.</source>
        <extracomment>%1 is a channel name</extracomment>
        <translation>Sie haben #%1 verlassen.</translation>
    </message>
    <message>
        <source>&amp;Conversations</source>
        <translation>&amp;Gespräche</translation>
    </message>
    <message>
        <source>New &amp;direct message…</source>
        <translation>Neue &amp;Direktnachricht …</translation>
    </message>
    <message>
        <source>&amp;Create channel…</source>
        <translation>Kanal &amp;erstellen …</translation>
    </message>
    <message>
        <source>&amp;Browse channels…</source>
        <translation>Kanäle &amp;durchsuchen …</translation>
    </message>
    <message>
        <source>&amp;Invite people…</source>
        <translation>Personen ein&amp;laden …</translation>
    </message>
    <message>
        <source>&amp;Edit name and topic…</source>
        <translation>&amp;Name und Thema bearbeiten …</translation>
    </message>
    <message>
        <source>&amp;Archive channel</source>
        <translation>Kanal &amp;archivieren</translation>
    </message>
    <message>
        <source>&amp;Leave channel</source>
        <translation>Kanal &amp;verlassen</translation>
    </message>
    <message>
        <source>Show &amp;members</source>
        <translation>&amp;Mitglieder anzeigen</translation>
    </message>
    <message>
        <source>Un&amp;archive channel</source>
        <translation>Kanal &amp;reaktivieren</translation>
    </message>
    <message>
        <source>&amp;Message %1</source>
        <extracomment>%1 is a person&apos;s name; opens the direct conversation with them</extracomment>
        <translation>&amp;Nachricht an %1</translation>
    </message>
    <message>
        <source>Archive channel</source>
        <translation>Kanal archivieren</translation>
    </message>
    <message>
        <source>Archive #%1? Everyone can still read it, but nobody can write in it until it is unarchived.</source>
        <translation>#%1 archivieren? Alle können ihn weiterhin lesen, aber niemand kann darin schreiben, bis er wieder reaktiviert wird.</translation>
    </message>
    <message>
        <source>Leave channel</source>
        <translation>Kanal verlassen</translation>
    </message>
    <message>
        <source>Leave #%1? It is private: you need an invitation to come back.</source>
        <translation>#%1 verlassen? Der Kanal ist privat: Für eine Rückkehr ist eine Einladung nötig.</translation>
    </message>
    <message>
        <source>Leave #%1? You can join it again from Browse channels.</source>
        <translation>#%1 verlassen? Über „Kanäle durchsuchen“ können Sie ihm wieder beitreten.</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelDelegate</name>
    <message>
        <source>@%1</source>
        <extracomment>Badge in the channel list: how many unread messages mention you.</extracomment>
        <translation>@%1</translation>
    </message>
    <message numerus="yes">
        <source>Unread: %n</source>
        <translation>
            <numerusform>Ungelesen: %n</numerusform>
            <numerusform>Ungelesen: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mentions of you: %n</source>
        <translation>
            <numerusform>Erwähnungen von Ihnen: %n</numerusform>
            <numerusform>Erwähnungen von Ihnen: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>notifies only for mentions</source>
        <translation>benachrichtigt nur bei Erwähnungen</translation>
    </message>
    <message>
        <source>muted</source>
        <translation>stummgeschaltet</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelInfoBar</name>
    <message>
        <source>Channel topic</source>
        <translation>Kanalthema</translation>
    </message>
    <message>
        <source>Archived channel</source>
        <translation>Archivierter Kanal</translation>
    </message>
    <message>
        <source>This channel is archived: you can read it, but nobody can write in it any more.</source>
        <translation>Dieser Kanal ist archiviert: Sie können ihn lesen, aber niemand kann mehr darin schreiben.</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelListMenu</name>
    <message>
        <source>Actions for %1</source>
        <translation>Aktionen für %1</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelListModel</name>
    <message>
        <source>Message deleted</source>
        <translation>Nachricht gelöscht</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelNotifications</name>
    <message>
        <source>%1 in %2</source>
        <extracomment>A desktop notification&apos;s title: %1 wrote in channel %2.</extracomment>
        <translation>%1 in %2</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Neue Nachricht</translation>
    </message>
    <message numerus="yes">
        <source>%n new messages in %1</source>
        <extracomment>A desktop notification&apos;s title: how many new messages in channel %1.</extracomment>
        <translation>
            <numerusform>%n neue Nachricht in %1</numerusform>
            <numerusform>%n neue Nachrichten in %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>One line of a grouped notification: author, then the message text.</extracomment>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>Natter::ChatSession</name>
    <message>
        <source>You are not allowed to change this message.</source>
        <translation>Sie dürfen diese Nachricht nicht ändern.</translation>
    </message>
    <message>
        <source>This message no longer exists.</source>
        <translation>Diese Nachricht existiert nicht mehr.</translation>
    </message>
    <message>
        <source>This message is too old to be edited.</source>
        <translation>Diese Nachricht ist zu alt, um sie zu bearbeiten.</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>Die Nachricht ist zu lang.</translation>
    </message>
    <message>
        <source>You are no longer a member of this channel.</source>
        <translation>Sie sind nicht mehr Mitglied dieses Kanals.</translation>
    </message>
    <message>
        <source>Too many changes at once; please try again in a moment.</source>
        <translation>Zu viele Änderungen auf einmal; bitte versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>The server refused the change (%1).</source>
        <translation>Der Server hat die Änderung abgelehnt (%1).</translation>
    </message>
    <message>
        <source>This message has not been sent yet.</source>
        <translation>Diese Nachricht wurde noch nicht gesendet.</translation>
    </message>
    <message>
        <source>This message already has as many different reactions as it can take.</source>
        <translation>Diese Nachricht hat bereits so viele verschiedene Reaktionen, wie sie haben kann.</translation>
    </message>
    <message>
        <source>This channel is archived; its messages can no longer be changed.</source>
        <translation>Dieser Kanal ist archiviert; seine Nachrichten können nicht mehr geändert werden.</translation>
    </message>
    <message>
        <source>There is already a channel with this name.</source>
        <translation>Es gibt bereits einen Kanal mit diesem Namen.</translation>
    </message>
    <message>
        <source>The server did not accept this (a channel name is 1 to 64 lower-case letters, digits, “-” or “_”, starting with a letter or digit).</source>
        <translation>Der Server hat dies nicht angenommen (ein Kanalname besteht aus 1 bis 64 Kleinbuchstaben, Ziffern, „-“ oder „_“ und beginnt mit einem Buchstaben oder einer Ziffer).</translation>
    </message>
    <message>
        <source>The topic is too long (at most 250 characters).</source>
        <translation>Das Thema ist zu lang (höchstens 250 Zeichen).</translation>
    </message>
    <message>
        <source>You are not allowed to do this in this channel.</source>
        <translation>Sie dürfen dies in diesem Kanal nicht tun.</translation>
    </message>
    <message>
        <source>This channel is archived: nobody can join it or be invited to it.</source>
        <translation>Dieser Kanal ist archiviert: Niemand kann ihm beitreten oder dazu eingeladen werden.</translation>
    </message>
    <message>
        <source>This channel does not exist, or is private.</source>
        <translation>Dieser Kanal existiert nicht oder ist privat.</translation>
    </message>
    <message>
        <source>You are not a member of this channel.</source>
        <translation>Sie sind kein Mitglied dieses Kanals.</translation>
    </message>
    <message>
        <source>The server refused this (%1).</source>
        <translation>Der Server hat dies abgelehnt (%1).</translation>
    </message>
    <message>
        <source>This person is not on this server (any more).</source>
        <translation>Diese Person ist nicht (mehr) auf diesem Server.</translation>
    </message>
    <message>
        <source>The server did not accept this change.</source>
        <translation>Der Server hat diese Änderung nicht angenommen.</translation>
    </message>
    <message>
        <source>The server cannot take this right now; please try again in a moment.</source>
        <translation>Der Server kann das gerade nicht annehmen; bitte versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>The notifications of %1 stay as they were. %2</source>
        <extracomment>%1 is a channel name or, for a direct conversation, a person&apos;s name; %2 says why (a sentence)</extracomment>
        <translation>Die Benachrichtigungen für %1 bleiben unverändert. %2</translation>
    </message>
</context>
<context>
    <name>Natter::ChatWindow</name>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>Your channels and direct conversations, most recent first</source>
        <translation>Ihre Kanäle und Direktgespräche, die neuesten zuerst</translation>
    </message>
    <message>
        <source>Channel name</source>
        <translation>Kanalname</translation>
    </message>
    <message>
        <source>Members and their presence</source>
        <translation>Mitglieder und ihr Status</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Messages of the open conversation, oldest at the top</source>
        <translation>Nachrichten des geöffneten Gesprächs, die ältesten oben</translation>
    </message>
    <message>
        <source>Who is typing</source>
        <translation>Wer gerade schreibt</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Verbindungsstatus</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>Jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Try to connect to the server right away</source>
        <translation>Sofort versuchen, sich mit dem Server zu verbinden</translation>
    </message>
    <message>
        <source>Natter</source>
        <translation>Natter</translation>
    </message>
    <message>
        <source>&amp;Natter</source>
        <translation>&amp;Natter</translation>
    </message>
    <message>
        <source>&amp;Switch to…</source>
        <translation>&amp;Wechseln zu …</translation>
    </message>
    <message>
        <source>&amp;Previous channel</source>
        <translation>&amp;Vorheriger Kanal</translation>
    </message>
    <message>
        <source>N&amp;ext channel</source>
        <translation>Nä&amp;chster Kanal</translation>
    </message>
    <message>
        <source>Jump to &amp;newest message</source>
        <translation>Zur &amp;neuesten Nachricht springen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinden …</translation>
    </message>
    <message>
        <source>Signing in to the server…</source>
        <translation>Anmeldung beim Server …</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Signed out: %1</source>
        <translation>Abgemeldet: %1</translation>
    </message>
    <message>
        <source>Connection lost</source>
        <translation>Verbindung verloren</translation>
    </message>
    <message>
        <source>%1 — reconnecting…</source>
        <translation>%1 – neuer Verbindungsversuch …</translation>
    </message>
    <message numerus="yes">
        <source>%1 — reconnecting in %n s</source>
        <translation>
            <numerusform>%1 – neuer Verbindungsversuch in %n s</numerusform>
            <numerusform>%1 – neuer Verbindungsversuch in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>away</source>
        <translation>abwesend</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>%1 — Natter</source>
        <translation>%1 – Natter</translation>
    </message>
    <message>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message numerus="yes">
        <source>Natter — %n unread</source>
        <translation>
            <numerusform>Natter – %n ungelesen</numerusform>
            <numerusform>Natter – %n ungelesen</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Copy text</source>
        <translation>Text &amp;kopieren</translation>
    </message>
    <message>
        <source>&amp;Retry sending</source>
        <translation>&amp;Erneut senden</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>You were removed from %1.</source>
        <extracomment>%1 is a channel name. Shown when an administrator removed the user from it.</extracomment>
        <translation>Sie wurden aus %1 entfernt.</translation>
    </message>
    <message>
        <source>Loading messages…</source>
        <translation>Nachrichten werden geladen …</translation>
    </message>
    <message>
        <source>You have no message here to edit.</source>
        <translation>Hier gibt es keine Nachricht von Ihnen zum Bearbeiten.</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>De&amp;lete…</source>
        <translation>&amp;Löschen …</translation>
    </message>
    <message>
        <source>&amp;React</source>
        <translation>&amp;Reagieren</translation>
    </message>
    <message>
        <source>Remove your %1 reaction</source>
        <extracomment>Accessible name of an entry of the React menu; %1 is the emoji.</extracomment>
        <translation>Ihre Reaktion %1 entfernen</translation>
    </message>
    <message>
        <source>React with %1</source>
        <translation>Mit %1 reagieren</translation>
    </message>
    <message>
        <source>Re&amp;ply</source>
        <translation>&amp;Antworten</translation>
    </message>
    <message>
        <source>Jump to first &amp;unread message</source>
        <translation>Zur ersten &amp;ungelesenen Nachricht springen</translation>
    </message>
    <message>
        <source>There are no unread messages here.</source>
        <translation>Hier gibt es keine ungelesenen Nachrichten.</translation>
    </message>
    <message>
        <source>Noti&amp;fications for this channel</source>
        <extracomment>Menu bar: the notification level of the channel being shown.</extracomment>
        <translation>Benachrichti&amp;gungen für diesen Kanal</translation>
    </message>
    <message>
        <source>&amp;Add reaction…</source>
        <translation>Re&amp;aktion hinzufügen …</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Natter</source>
        <translation>Ü&amp;ber Natter</translation>
    </message>
    <message>
        <source>&amp;Show Natter</source>
        <translation>Natter an&amp;zeigen</translation>
    </message>
    <message>
        <source>Notify everyone?</source>
        <translation>Alle benachrichtigen?</translation>
    </message>
    <message numerus="yes">
        <source>@channel notifies all %n other members of #%1.</source>
        <translation>
            <numerusform>@channel benachrichtigt %n anderes Mitglied von #%1.</numerusform>
            <numerusform>@channel benachrichtigt alle %n anderen Mitglieder von #%1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Send the message and notify them?</source>
        <translation>Die Nachricht senden und sie benachrichtigen?</translation>
    </message>
    <message>
        <source>&amp;Notify everyone</source>
        <translation>Alle &amp;benachrichtigen</translation>
    </message>
    <message>
        <source>Removed your %1 reaction</source>
        <translation>Ihre Reaktion %1 wurde entfernt</translation>
    </message>
    <message>
        <source>Reacted with %1</source>
        <translation>Mit %1 reagiert</translation>
    </message>
    <message>
        <source>Loading older messages to find the message answered…</source>
        <translation>Ältere Nachrichten werden geladen, um die beantwortete Nachricht zu finden …</translation>
    </message>
    <message>
        <source>The message answered is no longer in this channel&apos;s history.</source>
        <translation>Die beantwortete Nachricht ist nicht mehr im Verlauf dieses Kanals.</translation>
    </message>
    <message>
        <source>Resize the channel list</source>
        <translation>Größe der Kanalliste ändern</translation>
    </message>
    <message>
        <source>Resize the window</source>
        <translation>Fenstergröße ändern</translation>
    </message>
    <message numerus="yes">
        <source>New messages: %n. Shift+Esc jumps to the first.</source>
        <extracomment>Said to screen readers when a channel with unread messages opens (the &quot;New messages&quot; line); %n how many. Shift+Esc is the jump&apos;s shortcut.</extracomment>
        <translation>
            <numerusform>%n neue Nachricht. Umschalt+Esc springt zu ihr.</numerusform>
            <numerusform>%n neue Nachrichten. Umschalt+Esc springt zur ersten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading older messages to find the message…</source>
        <translation>Ältere Nachrichten werden geladen, um die Nachricht zu finden …</translation>
    </message>
    <message>
        <source>The message is no longer in this channel&apos;s history.</source>
        <translation>Die Nachricht ist nicht mehr im Verlauf dieses Kanals.</translation>
    </message>
    <message>
        <source>Fin&amp;d messages…</source>
        <translation>Nachrichten &amp;durchsuchen …</translation>
    </message>
    <message>
        <source>A message was not sent: %1</source>
        <translation>Eine Nachricht wurde nicht gesendet: %1</translation>
    </message>
    <message>
        <source>Connected again.</source>
        <translation>Wieder verbunden.</translation>
    </message>
    <message>
        <source>The server cannot take your change right now; it will be sent again.</source>
        <translation>Der Server kann Ihre Änderung gerade nicht annehmen; sie wird erneut gesendet.</translation>
    </message>
    <message>
        <source>This is too long to send: %1 characters, at most %2. Shorten it first.</source>
        <extracomment>%1: the draft&apos;s length, %2: the limit (4,000)</extracomment>
        <translation>Das ist zu lang zum Senden: %1 Zeichen, höchstens %2. Bitte kürzen Sie es zuerst.</translation>
    </message>
    <message>
        <source>%1 What you wrote is back in the message box.</source>
        <extracomment>%1: why the edit was refused (a sentence)</extracomment>
        <translation>%1 Ihr Text steht wieder im Eingabefeld.</translation>
    </message>
    <message>
        <source>%1 What you wrote is kept as a draft in %2.</source>
        <extracomment>%1: why the edit was refused (a sentence); %2: the channel&apos;s name</extracomment>
        <translation>%1 Ihr Text bleibt als Entwurf in %2 erhalten.</translation>
    </message>
    <message>
        <source>A message is waiting to be sent; reply once it has gone.</source>
        <translation>Eine Nachricht wartet darauf, gesendet zu werden; antworten Sie, sobald sie gesendet ist.</translation>
    </message>
</context>
<context>
    <name>Natter::CliChatTask</name>
    <message>
        <source>The server did not answer in time.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>The server did not answer in time: %1</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet: %1</translation>
    </message>
    <message>
        <source>The server ended the session: %1. Run `natter-cli login` again.</source>
        <translation>Der Server hat die Sitzung beendet: %1. Führen Sie `natter-cli login` erneut aus.</translation>
    </message>
    <message>
        <source>Cannot connect to the chat server: %1</source>
        <translation>Keine Verbindung zum Chat-Server möglich: %1</translation>
    </message>
    <message>
        <source>Connection lost (%1); reconnecting…</source>
        <translation>Verbindung verloren (%1); neuer Verbindungsversuch …</translation>
    </message>
    <message>
        <source>Sent to #%1 (seq %2).</source>
        <translation>An #%1 gesendet (Seq %2).</translation>
    </message>
    <message>
        <source>The message was not sent: %1</source>
        <translation>Die Nachricht wurde nicht gesendet: %1</translation>
    </message>
    <message>
        <source>You have no channel called “%1”. `natter-cli channels` lists yours.</source>
        <translation>Sie haben keinen Kanal namens „%1“. `natter-cli channels` listet Ihre Kanäle auf.</translation>
    </message>
    <message>
        <source>Deleted message %1 in #%2.</source>
        <translation>Nachricht %1 in #%2 gelöscht.</translation>
    </message>
    <message>
        <source>Edited message %1 in #%2.</source>
        <translation>Nachricht %1 in #%2 bearbeitet.</translation>
    </message>
    <message>
        <source>There is no message %1 in #%2.</source>
        <translation>In #%2 gibt es keine Nachricht %1.</translation>
    </message>
    <message>
        <source>Message %1 in #%2 has been deleted.</source>
        <translation>Nachricht %1 in #%2 wurde gelöscht.</translation>
    </message>
    <message>
        <source>Removed your %1 from message %2 in #%3.</source>
        <translation>Ihre Reaktion %1 auf Nachricht %2 in #%3 entfernt.</translation>
    </message>
    <message>
        <source>Reacted %1 to message %2 in #%3.</source>
        <translation>Mit %1 auf Nachricht %2 in #%3 reagiert.</translation>
    </message>
    <message>
        <source>members: %1</source>
        <translation>Mitglieder: %1</translation>
    </message>
    <message>
        <source>joined</source>
        <translation>beigetreten</translation>
    </message>
    <message>
        <source>archived</source>
        <translation>archiviert</translation>
    </message>
    <message>
        <source>There is no public channel called “%1”. `natter-cli channels --all` lists them.</source>
        <translation>Es gibt keinen öffentlichen Kanal namens „%1“. `natter-cli channels --all` listet sie auf.</translation>
    </message>
    <message>
        <source>There is nobody called “%1” on this server.</source>
        <translation>Auf diesem Server gibt es niemanden namens „%1“.</translation>
    </message>
    <message>
        <source>Created #%1 (%2).</source>
        <translation>#%1 erstellt (%2).</translation>
    </message>
    <message>
        <source>You are in #%1 (%2).</source>
        <translation>Sie sind in #%1 (%2).</translation>
    </message>
    <message>
        <source>Invited to #%1; members: %2.</source>
        <translation>In #%1 eingeladen; Mitglieder: %2.</translation>
    </message>
    <message>
        <source>Direct conversation with %1: %2.</source>
        <translation>Direktgespräch mit %1: %2.</translation>
    </message>
    <message>
        <source>You are no longer in #%1.</source>
        <translation>Sie sind nicht mehr in #%1.</translation>
    </message>
    <message>
        <source>You left #%1.</source>
        <translation>Sie haben #%1 verlassen.</translation>
    </message>
    <message>
        <source>#%1 notifies you about every message.</source>
        <translation>#%1 benachrichtigt Sie bei jeder Nachricht.</translation>
    </message>
    <message>
        <source>#%1 notifies you only when you are mentioned.</source>
        <translation>#%1 benachrichtigt Sie nur, wenn Sie erwähnt werden.</translation>
    </message>
    <message>
        <source>#%1 notifies you about nothing.</source>
        <translation>#%1 benachrichtigt Sie über nichts.</translation>
    </message>
    <message>
        <source>Continuing the download from byte %1.</source>
        <translation>Das Herunterladen wird ab Byte %1 fortgesetzt.</translation>
    </message>
    <message>
        <source>%1 already exists; the file was saved as %2.</source>
        <translation>%1 existiert bereits; die Datei wurde als %2 gespeichert.</translation>
    </message>
    <message>
        <source>Run the same command again to continue.</source>
        <translation>Führen Sie denselben Befehl erneut aus, um fortzufahren.</translation>
    </message>
    <message>
        <source>Saved %1 (%2 bytes).</source>
        <extracomment>natter-cli download; %1 the path, %2 its size in bytes.</extracomment>
        <translation>%1 gespeichert (%2 Bytes).</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>%1: why, in words; %2: the server&apos;s error code, for scripts.</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>A reaction must be a single emoji.</source>
        <translation>Eine Reaktion muss ein einzelnes Emoji sein.</translation>
    </message>
    <message>
        <source>The server could not take this in time (rate_limited); it was not done.</source>
        <translation>Der Server konnte das nicht rechtzeitig annehmen (rate_limited); es wurde nicht ausgeführt.</translation>
    </message>
</context>
<context>
    <name>Natter::Composer</name>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation>Nachricht schreiben … (Eingabetaste sendet, Umschalt+Eingabe für eine neue Zeile)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Edit the message… (Enter saves, Esc cancels)</source>
        <translation>Nachricht bearbeiten … (Eingabetaste speichert, Esc bricht ab)</translation>
    </message>
    <message>
        <source>Editing a message you sent. Enter saves the change, Esc cancels it.</source>
        <translation>Sie bearbeiten eine gesendete Nachricht. Die Eingabetaste speichert die Änderung, Esc bricht sie ab.</translation>
    </message>
    <message>
        <source>Type a message. Enter sends it, Shift+Enter starts a new line, Up in an empty box edits your last message.</source>
        <translation>Geben Sie eine Nachricht ein. Die Eingabetaste sendet sie, Umschalt+Eingabe beginnt eine neue Zeile, Pfeil nach oben in einem leeren Feld bearbeitet Ihre letzte Nachricht.</translation>
    </message>
    <message>
        <source>People to mention</source>
        <translation>Personen zum Erwähnen</translation>
    </message>
</context>
<context>
    <name>Natter::ConnectionManager</name>
    <message>
        <source>The server did not answer in time.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>The server did not confirm the login in time.</source>
        <translation>Der Server hat die Anmeldung nicht rechtzeitig bestätigt.</translation>
    </message>
    <message>
        <source>The server stopped answering.</source>
        <translation>Der Server antwortet nicht mehr.</translation>
    </message>
    <message>
        <source>There is no valid login.</source>
        <translation>Es gibt keine gültige Anmeldung.</translation>
    </message>
    <message>
        <source>The server refused the connection. Is it running?</source>
        <translation>Der Server hat die Verbindung abgelehnt. Läuft er?</translation>
    </message>
    <message>
        <source>The server&apos;s address could not be found.</source>
        <translation>Die Adresse des Servers wurde nicht gefunden.</translation>
    </message>
    <message>
        <source>A secure connection could not be established: %1</source>
        <translation>Eine sichere Verbindung konnte nicht hergestellt werden: %1</translation>
    </message>
    <message>
        <source>The connection failed: %1</source>
        <translation>Die Verbindung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted: %1</source>
        <translation>Dem Zertifikat des Servers wird nicht vertraut: %1</translation>
    </message>
    <message>
        <source>The server closed the connection.</source>
        <translation>Der Server hat die Verbindung geschlossen.</translation>
    </message>
    <message>
        <source>The server no longer accepts this login.</source>
        <translation>Der Server akzeptiert diese Anmeldung nicht mehr.</translation>
    </message>
    <message>
        <source>Too many messages were sent too fast; waiting before reconnecting.</source>
        <translation>Es wurden zu viele Nachrichten zu schnell gesendet; vor dem erneuten Verbinden wird gewartet.</translation>
    </message>
    <message>
        <source>The message is too large to send.</source>
        <translation>Die Nachricht ist zu groß zum Senden.</translation>
    </message>
    <message>
        <source>The server refused a message that was too large.</source>
        <translation>Der Server hat eine zu große Nachricht abgelehnt.</translation>
    </message>
    <message>
        <source>The server is restarting.</source>
        <translation>Der Server startet neu.</translation>
    </message>
    <message>
        <source>The connection was idle for too long.</source>
        <translation>Die Verbindung war zu lange untätig.</translation>
    </message>
    <message>
        <source>The connection was lost.</source>
        <translation>Die Verbindung ist abgebrochen.</translation>
    </message>
    <message>
        <source>The login could not be renewed: %1</source>
        <translation>Die Anmeldung konnte nicht erneuert werden: %1</translation>
    </message>
    <message>
        <source>You have been signed out: %1</source>
        <translation>Sie wurden abgemeldet: %1</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>Die Nachricht ist zu lang.</translation>
    </message>
    <message>
        <source>You cannot write to this channel.</source>
        <translation>Sie können in diesem Kanal nicht schreiben.</translation>
    </message>
    <message>
        <source>The server refused the message (%1).</source>
        <translation>Der Server hat die Nachricht abgelehnt (%1).</translation>
    </message>
    <message>
        <source>The message could not be saved.</source>
        <translation>Die Nachricht konnte nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>The message you replied to no longer exists.</source>
        <translation>Die Nachricht, auf die Sie antworten, gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>This channel is archived; it can be read but not written to.</source>
        <translation>Dieser Kanal ist archiviert; er kann gelesen, aber nicht beschrieben werden.</translation>
    </message>
    <message>
        <source>You are not allowed to write to this channel.</source>
        <translation>Sie dürfen in diesen Kanal nicht schreiben.</translation>
    </message>
    <message>
        <source>The attached files are no longer on the server. Attach them again.</source>
        <translation>Die angehängten Dateien sind nicht mehr auf dem Server. Hängen Sie sie erneut an.</translation>
    </message>
    <message>
        <source>This account is connected from too many places at once. Close Natter where you no longer use it.</source>
        <translation>Dieses Konto ist an zu vielen Orten gleichzeitig verbunden. Schließen Sie Natter dort, wo Sie es nicht mehr verwenden.</translation>
    </message>
    <message>
        <source>The server did not receive the sign-in in time.</source>
        <translation>Der Server hat die Anmeldung nicht rechtzeitig erhalten.</translation>
    </message>
    <message>
        <source>The server refused what this app sent and closed the connection.</source>
        <translation>Der Server hat abgelehnt, was diese App gesendet hat, und die Verbindung geschlossen.</translation>
    </message>
    <message>
        <source>The server refused the connection.</source>
        <translation>Der Server hat die Verbindung abgelehnt.</translation>
    </message>
    <message>
        <source>The server does not accept connections from %1. Its operator can allow that origin (allow_origin).</source>
        <extracomment>%1: the origin Natter sent, e.g. https://chat.example.org</extracomment>
        <translation>Der Server nimmt keine Verbindungen von %1 an. Sein Betreiber kann diesen Ursprung zulassen (allow_origin).</translation>
    </message>
    <message>
        <source>The server has too many connections from this address right now.</source>
        <translation>Der Server hat gerade zu viele Verbindungen von dieser Adresse.</translation>
    </message>
    <message>
        <source>The server is busy or starting up.</source>
        <translation>Der Server ist ausgelastet oder startet gerade.</translation>
    </message>
    <message>
        <source>The server refused the connection (HTTP status %1).</source>
        <extracomment>%1: an HTTP status code, e.g. 404</extracomment>
        <translation>Der Server hat die Verbindung abgelehnt (HTTP-Status %1).</translation>
    </message>
    <message>
        <source>This account connected too often in a short time; waiting before reconnecting.</source>
        <translation>Dieses Konto hat sich in kurzer Zeit zu oft verbunden; es wird gewartet, bevor die Verbindung erneut aufgebaut wird.</translation>
    </message>
</context>
<context>
    <name>Natter::CreateChannelDialog</name>
    <message>
        <source>&amp;Public: anyone can find and join it</source>
        <translation>Ö&amp;ffentlich: alle können ihn finden und ihm beitreten</translation>
    </message>
    <message>
        <source>P&amp;rivate: only the people invited see it</source>
        <translation>P&amp;rivat: nur eingeladene Personen sehen ihn</translation>
    </message>
    <message>
        <source>Create channel</source>
        <translation>Kanal erstellen</translation>
    </message>
    <message>
        <source>Channel name</source>
        <translation>Kanalname</translation>
    </message>
    <message>
        <source>e.g. design-review</source>
        <translation>z. B. design-review</translation>
    </message>
    <message>
        <source>Channel name check</source>
        <translation>Prüfung des Kanalnamens</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Erstellen</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Topic:</source>
        <translation>&amp;Thema:</translation>
    </message>
    <message>
        <source>&amp;Members:</source>
        <translation>&amp;Mitglieder:</translation>
    </message>
    <message>
        <source>A channel needs a name.</source>
        <translation>Ein Kanal braucht einen Namen.</translation>
    </message>
    <message>
        <source>Use lower-case letters only.</source>
        <translation>Nur Kleinbuchstaben verwenden.</translation>
    </message>
    <message>
        <source>Start with a letter or a digit.</source>
        <translation>Mit einem Buchstaben oder einer Ziffer beginnen.</translation>
    </message>
    <message>
        <source>Use only letters a–z, digits, “-” and “_” (no spaces).</source>
        <translation>Nur Buchstaben a–z, Ziffern, „-“ und „_“ verwenden (keine Leerzeichen).</translation>
    </message>
    <message>
        <source>“%1” is a good name.</source>
        <translation>„%1“ ist ein guter Name.</translation>
    </message>
</context>
<context>
    <name>Natter::DesktopController</name>
    <message>
        <source>Natter</source>
        <translation>Natter</translation>
    </message>
</context>
<context>
    <name>Natter::DesktopNotifier</name>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>Natter::DirectoryClient</name>
    <message>
        <source>The server no longer accepts this login.</source>
        <translation>Der Server akzeptiert diese Anmeldung nicht mehr.</translation>
    </message>
    <message>
        <source>The server cannot be reached.</source>
        <translation>Der Server ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>The server could not search (HTTP %1).</source>
        <translation>Der Server konnte nicht suchen (HTTP %1).</translation>
    </message>
</context>
<context>
    <name>Natter::EditBar</name>
    <message>
        <source>Editing message — Esc to cancel</source>
        <translation>Nachricht wird bearbeitet – Esc zum Abbrechen</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <extracomment>Button on the bar above the composer while a message is being edited.</extracomment>
        <translation>Bearbeiten abbrechen</translation>
    </message>
    <message>
        <source>Stop editing and keep the message as it was</source>
        <translation>Bearbeiten beenden und die Nachricht unverändert lassen</translation>
    </message>
</context>
<context>
    <name>Natter::EditChannelDialog</name>
    <message>
        <source>Edit channel</source>
        <translation>Kanal bearbeiten</translation>
    </message>
    <message>
        <source>Channel name</source>
        <translation>Kanalname</translation>
    </message>
    <message>
        <source>Channel name check</source>
        <translation>Prüfung des Kanalnamens</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Topic:</source>
        <translation>&amp;Thema:</translation>
    </message>
</context>
<context>
    <name>Natter::FileDownloader</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>You are not signed in.</source>
        <translation>Sie sind nicht angemeldet.</translation>
    </message>
    <message>
        <source>The server sent a picture that is far too large.</source>
        <translation>Der Server hat ein viel zu großes Bild gesendet.</translation>
    </message>
    <message>
        <source>The server sent parts of the file that do not fit together.</source>
        <translation>Der Server hat Teile der Datei gesendet, die nicht zusammenpassen.</translation>
    </message>
    <message>
        <source>The server ended the session. Sign in again to download.</source>
        <translation>Der Server hat die Sitzung beendet. Melden Sie sich erneut an, um herunterzuladen.</translation>
    </message>
    <message>
        <source>This file is no longer there, or you do not have access to it.</source>
        <translation>Diese Datei ist nicht mehr vorhanden, oder Sie haben keinen Zugriff darauf.</translation>
    </message>
    <message>
        <source>Cannot reach the server: %1</source>
        <translation>Der Server ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>The download was interrupted (%1). Try again to continue where it stopped.</source>
        <translation>Das Herunterladen wurde unterbrochen (%1). Versuchen Sie es erneut, um dort fortzufahren, wo es aufgehört hat.</translation>
    </message>
    <message>
        <source>The server could not send the file (HTTP %1).</source>
        <translation>Der Server konnte die Datei nicht senden (HTTP %1).</translation>
    </message>
    <message>
        <source>The server sent %1 bytes of a file of %2 bytes.</source>
        <translation>Der Server hat %1 Bytes einer Datei mit %2 Bytes gesendet.</translation>
    </message>
    <message>
        <source>Cannot replace %1.</source>
        <translation>%1 kann nicht ersetzt werden.</translation>
    </message>
    <message>
        <source>The server ended the session: %1</source>
        <translation>Der Server hat die Sitzung beendet: %1</translation>
    </message>
</context>
<context>
    <name>Natter::FileUploader</name>
    <message>
        <source>Cannot read the file “%1”.</source>
        <translation>Die Datei „%1“ kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>You are not signed in.</source>
        <translation>Sie sind nicht angemeldet.</translation>
    </message>
    <message>
        <source>Cannot read the file “%1”: %2</source>
        <translation>Die Datei „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The server ended the session (%1). Sign in again.</source>
        <translation>Der Server hat die Sitzung beendet (%1). Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>The server&apos;s answer to the upload of “%1” was not understood.</source>
        <translation>Die Antwort des Servers auf das Hochladen von „%1“ wurde nicht verstanden.</translation>
    </message>
    <message>
        <source>“%1” is too large: this server takes files of up to %2 MB.</source>
        <translation>„%1“ ist zu groß: Dieser Server nimmt Dateien bis %2 MB an.</translation>
    </message>
    <message>
        <source>“%1” is too large for this server.</source>
        <translation>„%1“ ist zu groß für diesen Server.</translation>
    </message>
    <message>
        <source>This server does not take files like “%1”.</source>
        <translation>Dieser Server nimmt Dateien wie „%1“ nicht an.</translation>
    </message>
    <message>
        <source>The server has no space left for “%1”.</source>
        <translation>Auf dem Server ist kein Platz mehr für „%1“.</translation>
    </message>
    <message numerus="yes">
        <source>Too many uploads at once: try “%1” again in %n second(s).</source>
        <translation>
            <numerusform>Zu viele Dateien werden gleichzeitig hochgeladen: Versuchen Sie es mit „%1“ in %n Sekunde erneut.</numerusform>
            <numerusform>Zu viele Dateien werden gleichzeitig hochgeladen: Versuchen Sie es mit „%1“ in %n Sekunden erneut.</numerusform>
        </translation>
    </message>
    <message>
        <source>This channel is archived: no new files can be shared in it.</source>
        <translation>Dieser Kanal ist archiviert: Darin können keine neuen Dateien geteilt werden.</translation>
    </message>
    <message>
        <source>You may not share files in this channel.</source>
        <translation>Sie dürfen in diesem Kanal keine Dateien teilen.</translation>
    </message>
    <message>
        <source>You cannot share files in this channel.</source>
        <translation>Sie können in diesem Kanal keine Dateien teilen.</translation>
    </message>
    <message>
        <source>The server ended the session. Sign in again.</source>
        <translation>Der Server hat die Sitzung beendet. Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>The upload of “%1” failed: cannot reach the server (%2).</source>
        <translation>Das Hochladen von „%1“ ist fehlgeschlagen: Der Server ist nicht erreichbar (%2).</translation>
    </message>
    <message>
        <source>The server could not take “%1” (HTTP %2).</source>
        <translation>Der Server konnte „%1“ nicht annehmen (HTTP %2).</translation>
    </message>
    <message>
        <source>“%1” is larger than the %2 MB of files this server keeps for you.</source>
        <translation>„%1“ ist größer als die %2 MB an Dateien, die dieser Server für Sie aufbewahrt.</translation>
    </message>
    <message>
        <source>“%1” does not fit in the %2 MB of files this server keeps for you (%3 MB taken). Deleting your messages with files frees their space; files uploaded but never sent are freed after a day.</source>
        <translation>„%1“ passt nicht in die %2 MB an Dateien, die dieser Server für Sie aufbewahrt (%3 MB belegt). Wenn Sie Ihre Nachrichten mit Dateien löschen, wird deren Platz frei; hochgeladene, aber nie gesendete Dateien werden nach einem Tag freigegeben.</translation>
    </message>
</context>
<context>
    <name>Natter::ImageViewer</name>
    <message>
        <source>%1 – Natter</source>
        <extracomment>Title of the window showing a picture; %1 its file name.</extracomment>
        <translation>%1 – Natter</translation>
    </message>
    <message>
        <source>Picture %1</source>
        <extracomment>Accessible name of the picture viewer; %1 the file name.</extracomment>
        <translation>Bild %1</translation>
    </message>
    <message>
        <source>Loading the picture…</source>
        <translation>Bild wird geladen …</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Speichern …</translation>
    </message>
    <message>
        <source>Save the picture (Ctrl+S)</source>
        <translation>Bild speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Schließen (Esc)</translation>
    </message>
    <message>
        <source>This file is not a picture Natter can show. Save it to open it elsewhere.</source>
        <translation>Diese Datei ist kein Bild, das Natter anzeigen kann. Speichern Sie sie, um sie anderswo zu öffnen.</translation>
    </message>
    <message>
        <source>This picture is too large to show here (%1×%2). Save it to open it elsewhere.</source>
        <translation>Dieses Bild ist zu groß, um es hier anzuzeigen (%1×%2). Speichern Sie es, um es anderswo zu öffnen.</translation>
    </message>
    <message>
        <source>This picture cannot be shown: %1</source>
        <translation>Dieses Bild kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>%1 × %2 pixels</source>
        <extracomment>Under the picture; %1 width, %2 height in pixels.</extracomment>
        <translation>%1 × %2 Pixel</translation>
    </message>
    <message>
        <source>Picture area</source>
        <extracomment>Accessible name of the scrollable area holding the picture.</extracomment>
        <translation>Bildbereich</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <extracomment>Button of the picture viewer.</extracomment>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>Verkleinern (Strg+-)</translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <extracomment>Button of the picture viewer: show the whole picture in the window.</extracomment>
        <translation>&amp;Einpassen</translation>
    </message>
    <message>
        <source>Fit to the window (Ctrl+0)</source>
        <translation>In das Fenster einpassen (Strg+0)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <extracomment>Button of the picture viewer.</extracomment>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>Vergrößern (Strg++)</translation>
    </message>
    <message>
        <source>%1 × %2 pixels, zoom %3 %</source>
        <extracomment>Under the zoomed picture; %1 width, %2 height in pixels, %3 the zoom in percent.</extracomment>
        <translation>%1 × %2 Pixel, Zoom %3 %</translation>
    </message>
</context>
<context>
    <name>Natter::InviteDialog</name>
    <message>
        <source>Invite people to #%1</source>
        <extracomment>%1 is a channel name</extracomment>
        <translation>Personen in #%1 einladen</translation>
    </message>
    <message>
        <source>&amp;Invite</source>
        <translation>&amp;Einladen</translation>
    </message>
</context>
<context>
    <name>Natter::LoginDialog</name>
    <message>
        <source>Sign in to Natter</source>
        <translation>Bei Natter anmelden</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>For example https://chat.example.org</source>
        <translation>Zum Beispiel https://chat.example.org</translation>
    </message>
    <message>
        <source>https://chat.example.org</source>
        <translation>https://chat.example.org</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Stay signed in</source>
        <translation>Angemeldet b&amp;leiben</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Angemeldet bleiben</translation>
    </message>
    <message>
        <source>Keep the sign-in in the system keychain so Natter opens without asking next time</source>
        <translation>Die Anmeldung im Schlüsselbund des Systems behalten, damit Natter beim nächsten Mal ohne Nachfrage öffnet</translation>
    </message>
    <message>
        <source>Sign-in error</source>
        <translation>Anmeldefehler</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft …</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Signing in</source>
        <translation>Anmeldung läuft</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>An&amp;melden</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Se&amp;rver:</source>
        <translation>Se&amp;rver:</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Enter your username.</source>
        <translation>Geben Sie Ihren Benutzernamen ein.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Geben Sie Ihr Passwort ein.</translation>
    </message>
</context>
<context>
    <name>Natter::MembersPanel</name>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Members of this channel</source>
        <translation>Mitglieder dieses Kanals</translation>
    </message>
    <message>
        <source>Enter opens a direct conversation with the person</source>
        <translation>Enter öffnet ein Direktgespräch mit der Person</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>away</source>
        <translation>abwesend</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <extracomment>%1 is a date and time</extracomment>
        <translation>zuletzt gesehen %1</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (Sie)</translation>
    </message>
    <message>
        <source>%1 · owner</source>
        <translation>%1 · Eigentümer</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Nachricht</translation>
    </message>
    <message>
        <source>Actions for %1</source>
        <extracomment>Accessible name of a member&apos;s context menu; %1 is the person&apos;s name</extracomment>
        <translation>Aktionen für %1</translation>
    </message>
</context>
<context>
    <name>Natter::MentionCandidates</name>
    <message>
        <source>%1 (@%2)</source>
        <comment>mention completion: display name, username</comment>
        <translation>%1 (@%2)</translation>
    </message>
</context>
<context>
    <name>Natter::MessageActions</name>
    <message>
        <source>The message was deleted, so the change was not saved.</source>
        <translation>Die Nachricht wurde gelöscht, daher wurde die Änderung nicht gespeichert.</translation>
    </message>
    <message>
        <source>Edit cancelled.</source>
        <translation>Bearbeiten abgebrochen.</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Nachricht löschen</translation>
    </message>
    <message>
        <source>Delete this message for everyone? This cannot be undone.</source>
        <translation>Diese Nachricht für alle löschen? Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Delete this message by %1 for everyone? This cannot be undone.</source>
        <translation>Diese Nachricht von %1 für alle löschen? Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>The message you were editing was deleted.</source>
        <translation>Die Nachricht, die Sie bearbeitet haben, wurde gelöscht.</translation>
    </message>
    <message>
        <source>The message was deleted, so the change was not saved. What you wrote is kept in the message box.</source>
        <translation>Die Nachricht wurde gelöscht, daher wurde die Änderung nicht gespeichert. Ihr Text bleibt im Eingabefeld erhalten.</translation>
    </message>
    <message>
        <source>The message you were editing was deleted. What you wrote is kept in the message box.</source>
        <translation>Die Nachricht, die Sie bearbeitet haben, wurde gelöscht. Ihr Text bleibt im Eingabefeld erhalten.</translation>
    </message>
    <message>
        <source>A message is waiting to be sent; edit once it has gone.</source>
        <translation>Eine Nachricht wartet darauf, gesendet zu werden; bearbeiten Sie erst danach.</translation>
    </message>
</context>
<context>
    <name>Natter::MessageDelegate</name>
    <message>
        <source>Some earlier messages are not loaded yet — scroll up to load them</source>
        <translation>Einige ältere Nachrichten sind noch nicht geladen – nach oben scrollen, um sie zu laden</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet …</translation>
    </message>
    <message>
        <source>✓ Sent</source>
        <extracomment>Delivery state of a message the server has stored.</extracomment>
        <translation>✓ Gesendet</translation>
    </message>
    <message>
        <source>⚠ Not sent</source>
        <translation>⚠ Nicht gesendet</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Nachrichtentext</translation>
    </message>
    <message>
        <source>(edited)</source>
        <extracomment>Shown after the text of a message that was changed after it was sent.</extracomment>
        <translation>(bearbeitet)</translation>
    </message>
    <message>
        <source>Message deleted</source>
        <extracomment>Shown in place of a message that was deleted.</extracomment>
        <translation>Nachricht gelöscht</translation>
    </message>
    <message>
        <source>%1 reacted with %2</source>
        <extracomment>Tooltip of a reaction under a message; %1 who reacted (a list), %2 the emoji.</extracomment>
        <translation>Reaktion %2 von %1</translation>
    </message>
    <message>
        <source>%1: deleted</source>
        <extracomment>The quote of a reply whose target was deleted; %1 its author.</extracomment>
        <translation>%1: gelöscht</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>The quote of a reply; %1 the author of the message answered, %2 its start.</extracomment>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>Natter::MessageToolbar</name>
    <message>
        <source>Add reaction</source>
        <translation>Reaktion hinzufügen</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Entf</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>Tooltip of a message toolbar button: the action, then its key.</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Actions for the message from %1</source>
        <translation>Aktionen für die Nachricht von %1</translation>
    </message>
</context>
<context>
    <name>Natter::MessageViewModel</name>
    <message>
        <source>Edited %1</source>
        <extracomment>Tooltip of an edited message; %1 is the date and time of the last edit.</extracomment>
        <translation>Bearbeitet: %1</translation>
    </message>
    <message>
        <source>%1, %2: message deleted</source>
        <extracomment>Screen-reader text of a deleted message; %1 author, %2 time it was sent.</extracomment>
        <translation>%1, %2: Nachricht gelöscht</translation>
    </message>
    <message>
        <source>%1, %2: %3 (edited)</source>
        <extracomment>Screen-reader text of an edited message; %1 author, %2 time, %3 its text.</extracomment>
        <translation>%1, %2: %3 (bearbeitet)</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <extracomment>Screen-reader text of a message; %1 author, %2 time, %3 its text.</extracomment>
        <translation>%1, %2: %3</translation>
    </message>
    <message>
        <source>This message was deleted.</source>
        <translation>Diese Nachricht wurde gelöscht.</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n, including you</source>
        <translation>
            <numerusform>%1: %n, Sie eingeschlossen</numerusform>
            <numerusform>%1: %n, Sie eingeschlossen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n</source>
        <translation>
            <numerusform>%1: %n</numerusform>
            <numerusform>%1: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Reactions: %1.</source>
        <extracomment>Screen-reader description of a message&apos;s reactions; %1 the list.</extracomment>
        <translation>Reaktionen: %1.</translation>
    </message>
    <message>
        <source>In reply to a deleted message by %1.</source>
        <translation>Antwort auf eine gelöschte Nachricht von %1.</translation>
    </message>
    <message>
        <source>In reply to %1: %2.</source>
        <translation>Antwort auf %1: %2.</translation>
    </message>
    <message>
        <source>Sending.</source>
        <extracomment>Screen-reader description of our message on its way to the server.</extracomment>
        <translation>Wird gesendet.</translation>
    </message>
    <message>
        <source>Not sent.</source>
        <translation>Nicht gesendet.</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
</context>
<context>
    <name>Natter::NotifyLevelMenu</name>
    <message>
        <source>&amp;Notifications</source>
        <translation>&amp;Benachrichtigungen</translation>
    </message>
    <message>
        <source>&amp;All messages</source>
        <translation>&amp;Alle Nachrichten</translation>
    </message>
    <message>
        <source>Notify me about every new message in this channel</source>
        <translation>Bei jeder neuen Nachricht in diesem Kanal benachrichtigen</translation>
    </message>
    <message>
        <source>Only &amp;mentions</source>
        <translation>Nur &amp;Erwähnungen</translation>
    </message>
    <message>
        <source>Notify me only when someone mentions me here</source>
        <translation>Nur benachrichtigen, wenn mich hier jemand erwähnt</translation>
    </message>
    <message>
        <source>N&amp;othing</source>
        <translation>&amp;Nichts</translation>
    </message>
    <message>
        <source>Never notify me about this channel; its badge stays quiet</source>
        <translation>Nie über diesen Kanal benachrichtigen; sein Zähler bleibt still</translation>
    </message>
</context>
<context>
    <name>Natter::PeoplePicker</name>
    <message>
        <source>Search people by name</source>
        <translation>Personen nach Namen suchen</translation>
    </message>
    <message>
        <source>Search people</source>
        <translation>Personen suchen</translation>
    </message>
    <message>
        <source>People found; tick the ones to add</source>
        <translation>Gefundene Personen; die hinzuzufügenden ankreuzen</translation>
    </message>
    <message>
        <source>People chosen</source>
        <translation>Ausgewählte Personen</translation>
    </message>
    <message>
        <source>Chosen: %1</source>
        <translation>Ausgewählt: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>Natter::QuickSwitcher</name>
    <message>
        <source>Switch to…</source>
        <translation>Wechseln zu …</translation>
    </message>
    <message>
        <source>Channel or person</source>
        <translation>Kanal oder Person</translation>
    </message>
    <message>
        <source>Find a channel or person</source>
        <translation>Einen Kanal oder eine Person finden</translation>
    </message>
    <message>
        <source>New direct message</source>
        <translation>Neue Direktnachricht</translation>
    </message>
    <message>
        <source>Matching people</source>
        <translation>Passende Personen</translation>
    </message>
    <message>
        <source>Matching channels and people</source>
        <translation>Passende Kanäle und Personen</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>Find a person</source>
        <translation>Person finden</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 — direct message</source>
        <extracomment>A person in the quick switcher: Enter opens a direct conversation.</extracomment>
        <translation>%1 – Direktnachricht</translation>
    </message>
</context>
<context>
    <name>Natter::ReactionPicker</name>
    <message>
        <source>Add reaction</source>
        <translation>Reaktion hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Search by name:</source>
        <translation>Nach Namen &amp;suchen:</translation>
    </message>
    <message>
        <source>thumbs, heart, party…</source>
        <translation>Daumen, Herz, Party …</translation>
    </message>
    <message>
        <source>Search emoji by name</source>
        <translation>Emoji nach Namen suchen</translation>
    </message>
    <message>
        <source>Emoji</source>
        <translation>Emoji</translation>
    </message>
</context>
<context>
    <name>Natter::ReplyBar</name>
    <message>
        <source>Cancel reply</source>
        <extracomment>Button on the bar above the composer while a reply is being written.</extracomment>
        <translation>Antwort abbrechen</translation>
    </message>
    <message>
        <source>Send the message as a normal message, not a reply</source>
        <translation>Die Nachricht als normale Nachricht senden, nicht als Antwort</translation>
    </message>
    <message>
        <source>Replying to %1: %2</source>
        <extracomment>Bar above the composer; %1 the author of the message answered, %2 its start.</extracomment>
        <translation>Antwort an %1: %2</translation>
    </message>
</context>
<context>
    <name>Natter::SearchClient</name>
    <message>
        <source>You are not signed in.</source>
        <translation>Sie sind nicht angemeldet.</translation>
    </message>
    <message>
        <source>The server ended the session: %1</source>
        <translation>Der Server hat die Sitzung beendet: %1</translation>
    </message>
    <message>
        <source>The server did not understand this search. Use words, &quot;phrases&quot;, -word, word*, from:user, in:channel, before:YYYY-MM-DD, after:YYYY-MM-DD, has:file or has:link.</source>
        <translation>Der Server hat diese Suche nicht verstanden. Verwenden Sie Wörter, &quot;Phrasen&quot;, -wort, wort*, from:user, in:channel, before:YYYY-MM-DD, after:YYYY-MM-DD, has:file oder has:link.</translation>
    </message>
    <message>
        <source>The server ended the session.</source>
        <translation>Der Server hat die Sitzung beendet.</translation>
    </message>
    <message>
        <source>Cannot reach the server: %1</source>
        <translation>Der Server ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>The server could not search now (HTTP %1).</source>
        <translation>Der Server konnte gerade nicht suchen (HTTP %1).</translation>
    </message>
    <message numerus="yes">
        <source>The server is busy. Search again in %n s.</source>
        <translation>
            <numerusform>Der Server ist ausgelastet. Suchen Sie in %n s erneut.</numerusform>
            <numerusform>Der Server ist ausgelastet. Suchen Sie in %n s erneut.</numerusform>
        </translation>
    </message>
    <message>
        <source>The search has too many words ending in *: use at most 8.</source>
        <translation>Die Suche enthält zu viele Wörter, die auf * enden: Verwenden Sie höchstens 8.</translation>
    </message>
    <message>
        <source>The search has too many words: use at most 32.</source>
        <translation>Die Suche enthält zu viele Wörter: Verwenden Sie höchstens 32.</translation>
    </message>
    <message>
        <source>The search is too long: use at most 1,000 characters.</source>
        <translation>Die Suche ist zu lang: Verwenden Sie höchstens 1.000 Zeichen.</translation>
    </message>
</context>
<context>
    <name>Natter::SearchCompleter</name>
    <message>
        <source>Filter suggestions</source>
        <translation>Filtervorschläge</translation>
    </message>
    <message>
        <source>Up and Down choose a suggestion, Enter or Tab puts it in the search, Esc closes the suggestions.</source>
        <translation>Pfeil hoch und runter wählen einen Vorschlag, Eingabetaste oder Tab übernimmt ihn in die Suche, Esc schließt die Vorschläge.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>A suggestion for the from: filter: %1 the username, %2 the display name.</extracomment>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>Natter::SearchPanel</name>
    <message>
        <source>More results</source>
        <translation>Weitere Ergebnisse</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>Nachrichten durchsuchen</translation>
    </message>
    <message>
        <source>Search: words, &quot;a phrase&quot;, pre*, -word, from:, in:</source>
        <translation>Suche: Wörter, &quot;eine Phrase&quot;, anfang*, -wort, from:, in:</translation>
    </message>
    <message>
        <source>All words must match. &quot;a phrase&quot; matches exactly, pre* matches the start of a word, -word excludes a word. Filters: from:user, in:channel, before:YYYY-MM-DD, after:YYYY-MM-DD, has:file, has:link. Press Down to go to the results.</source>
        <translation>Alle Wörter müssen vorkommen. &quot;eine Phrase&quot; findet genau diese Wortfolge, anfang* findet Wörter mit diesem Anfang, -wort schließt ein Wort aus. Filter: from:user, in:channel, before:YYYY-MM-DD, after:YYYY-MM-DD, has:file, has:link. Mit Pfeil nach unten gelangen Sie zu den Ergebnissen.</translation>
    </message>
    <message>
        <source>Search only the conversation that is open</source>
        <translation>Nur das geöffnete Gespräch durchsuchen</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>Suchstatus</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <source>Newest first. Enter shows the message in its conversation; Esc closes the search.</source>
        <translation>Neueste zuerst. Die Eingabetaste zeigt die Nachricht in ihrem Gespräch; Esc schließt die Suche.</translation>
    </message>
    <message>
        <source>Load older results of this search</source>
        <translation>Ältere Ergebnisse dieser Suche laden</translation>
    </message>
    <message>
        <source>Only in #%1</source>
        <extracomment>A check box of the search panel; %1 is the open channel&apos;s name.</extracomment>
        <translation>Nur in #%1</translation>
    </message>
    <message>
        <source>Only in this conversation</source>
        <translation>Nur in diesem Gespräch</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft …</translation>
    </message>
    <message>
        <source>Loading more results…</source>
        <translation>Weitere Ergebnisse werden geladen …</translation>
    </message>
    <message>
        <source>another conversation</source>
        <translation>ein anderes Gespräch</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <extracomment>One search result&apos;s first line: channel, author, time.</extracomment>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>What a screen reader says for one search result: header, then the snippet.</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>No messages match “%1”.</source>
        <extracomment>%1 is the query as typed.</extracomment>
        <translation>Keine Nachrichten passen zu „%1“.</translation>
    </message>
    <message numerus="yes">
        <source>Results: %n</source>
        <translation>
            <numerusform>%n Ergebnis</numerusform>
            <numerusform>%n Ergebnisse</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Results: %n so far; more are available.</source>
        <translation>
            <numerusform>Bisher %n Ergebnis; weitere sind verfügbar.</numerusform>
            <numerusform>Bisher %n Ergebnisse; weitere sind verfügbar.</numerusform>
        </translation>
    </message>
    <message>
        <source>This search cannot be run. %1</source>
        <translation>Diese Suche kann nicht ausgeführt werden. %1</translation>
    </message>
    <message>
        <source>Offline: the server cannot be reached, so Natter cannot search now. It searches again once it is connected.</source>
        <translation>Offline: Der Server ist nicht erreichbar, daher kann Natter gerade nicht suchen. Die Suche wird wiederholt, sobald die Verbindung besteht.</translation>
    </message>
</context>
<context>
    <name>Natter::SettingsDialog</name>
    <message>
        <source>Show desktop &amp;notifications for new messages</source>
        <translation>Desktop-&amp;Benachrichtigungen für neue Nachrichten anzeigen</translation>
    </message>
    <message>
        <source>Show the message &amp;text in notifications</source>
        <translation>Nachrichten&amp;text in Benachrichtigungen anzeigen</translation>
    </message>
    <message>
        <source>&amp;Keep running in the system tray when the window is closed</source>
        <translation>Beim Schließen des Fensters im Systemabschnitt der Kontrollleiste &amp;weiterlaufen</translation>
    </message>
    <message>
        <source>Natter Settings</source>
        <translation>Natter-Einstellungen</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>Per channel, the channel list&apos;s context menu chooses which messages notify</source>
        <translation>Je Kanal legt das Kontextmenü der Kanalliste fest, welche Nachrichten benachrichtigen</translation>
    </message>
    <message>
        <source>When off, a notification says who wrote where, but not what</source>
        <translation>Wenn aus, zeigt eine Benachrichtigung, wer wo geschrieben hat, aber nicht was</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>Quit from the menu or the tray icon to end Natter</source>
        <translation>Natter über das Menü oder das Symbol in der Kontrollleiste beenden</translation>
    </message>
    <message>
        <source>This desktop has no system tray</source>
        <translation>Diese Arbeitsumgebung hat keinen Systemabschnitt in der Kontrollleiste</translation>
    </message>
    <message>
        <source>Play a &amp;sound</source>
        <translation>&amp;Ton abspielen</translation>
    </message>
    <message>
        <source>Start &amp;minimised</source>
        <translation>&amp;Minimiert starten</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <source>Notifications ask the desktop to play a sound</source>
        <translation>Benachrichtigungen bitten den Desktop, einen Ton abzuspielen</translation>
    </message>
    <message>
        <source>Natter starts in the system tray, without its window</source>
        <translation>Natter startet im Systembereich der Kontrollleiste, ohne sein Fenster</translation>
    </message>
    <message>
        <source>Natter starts with its window minimised</source>
        <translation>Natter startet mit minimiertem Fenster</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemvorgabe</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Signed in as:</source>
        <translation>Angemeldet als:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Signs out of this account and shows the sign-in</source>
        <translation>Meldet dieses Konto ab und zeigt die Anmeldung</translation>
    </message>
    <message>
        <source>%1 (@%2)</source>
        <extracomment>Settings, Account: the display name and the username, e.g. &quot;Alice (@alice)&quot;.</extracomment>
        <translation>%1 (@%2)</translation>
    </message>
</context>
<context>
    <name>Natter::TypingTracker</name>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 schreibt …</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <extracomment>Two people typing, e.g. &quot;Alice and Bob are typing…&quot;</extracomment>
        <translation>%1 und %2 schreiben …</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <extracomment>Three or more people typing at once.</extracomment>
        <translation>Mehrere Personen schreiben …</translation>
    </message>
</context>
<context>
    <name>Natter::UnreadMarker</name>
    <message>
        <source>New messages</source>
        <translation>Neue Nachrichten</translation>
    </message>
    <message>
        <source>↑ Jump to first unread</source>
        <translation>↑ Zur ersten ungelesenen</translation>
    </message>
    <message>
        <source>Jump to first unread</source>
        <translation>Zur ersten ungelesenen springen</translation>
    </message>
    <message>
        <source>Scroll up to where the unread messages start (Shift+Esc)</source>
        <translation>Nach oben zum Beginn der ungelesenen Nachrichten blättern (Umschalt+Esc)</translation>
    </message>
</context>
<context>
    <name>ServerUrl</name>
    <message>
        <source>Enter the server address.</source>
        <translation>Geben Sie die Serveradresse ein.</translation>
    </message>
    <message>
        <source>“%1” is not a server address. Example: https://chat.example.org</source>
        <translation>„%1“ ist keine Serveradresse. Beispiel: https://chat.example.org</translation>
    </message>
    <message>
        <source>The address must start with http://, https://, ws:// or wss://.</source>
        <translation>Die Adresse muss mit http://, https://, ws:// oder wss:// beginnen.</translation>
    </message>
    <message>
        <source>Remove the user name and password from the address; enter them below.</source>
        <translation>Entfernen Sie Benutzername und Passwort aus der Adresse; geben Sie sie unten ein.</translation>
    </message>
</context>
<context>
    <name>SystemMessageText</name>
    <message>
        <source>%1 created #%2</source>
        <translation>%1 hat #%2 erstellt</translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation>%1 ist beigetreten</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 hat den Kanal verlassen</translation>
    </message>
    <message>
        <source>%1 added %2</source>
        <translation>%1 hat %2 hinzugefügt</translation>
    </message>
    <message>
        <source>%1 renamed the channel to #%2</source>
        <translation>%1 hat den Kanal in #%2 umbenannt</translation>
    </message>
    <message>
        <source>%1 cleared the topic</source>
        <translation>%1 hat das Thema entfernt</translation>
    </message>
    <message>
        <source>%1 set the topic: %2</source>
        <translation>%1 hat das Thema festgelegt: %2</translation>
    </message>
    <message>
        <source>%1 archived the channel</source>
        <translation>%1 hat den Kanal archiviert</translation>
    </message>
    <message>
        <source>%1 unarchived the channel</source>
        <translation>%1 hat den Kanal wieder aktiviert</translation>
    </message>
    <message>
        <source>%1 changed the channel</source>
        <translation>%1 hat den Kanal geändert</translation>
    </message>
    <message>
        <source>An administrator</source>
        <translation>Ein Administrator</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Natter desktop chat client</source>
        <translation>Natter, Chat-Programm für den Desktop</translation>
    </message>
    <message>
        <source>Use the profile &lt;name&gt; (separate settings, keychain entries and local data).</source>
        <translation>Das Profil &lt;name&gt; verwenden (eigene Einstellungen, Schlüsselbund-Einträge und lokale Daten).</translation>
    </message>
    <message>
        <source>Server address to suggest at sign-in.</source>
        <translation>Bei der Anmeldung vorgeschlagene Serveradresse.</translation>
    </message>
    <message>
        <source>Language of the interface, e.g. de or fr.</source>
        <translation>Sprache der Oberfläche, z. B. de oder fr.</translation>
    </message>
    <message>
        <source>Save a picture of the chat window to &lt;file&gt; once it has loaded.</source>
        <translation>Ein Bild des Chatfensters in &lt;file&gt; speichern, sobald es geladen ist.</translation>
    </message>
    <message>
        <source>Sign in as &lt;name&gt; at start (with --password-stdin).</source>
        <translation>Beim Start als &lt;name&gt; anmelden (mit --password-stdin).</translation>
    </message>
    <message>
        <source>Read the password for --user from the first line of standard input.</source>
        <translation>Das Passwort für --user aus der ersten Zeile der Standardeingabe lesen.</translation>
    </message>
    <message>
        <source>Invalid profile name: %1</source>
        <translation>Ungültiger Profilname: %1</translation>
    </message>
</context>
</TS>
