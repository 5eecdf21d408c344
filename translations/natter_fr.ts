<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
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
        <translation>Pièces jointes&#xa0;: %1. Appuyez sur Entrée pour les ouvrir ou les enregistrer.</translation>
    </message>
    <message>
        <source>Picture not available</source>
        <translation>Image non disponible</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <extracomment>Under a file&apos;s name on its card; %1 its size, %2 its type.</extracomment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Picture not loaded yet. Natter will try again.</source>
        <extracomment>In place of a picture that could not be loaded for now (natterd unreachable).</extracomment>
        <translation>Image pas encore chargée. Natter réessaiera.</translation>
    </message>
</context>
<context>
    <name>CliCommandLine</name>
    <message>
        <source>Run `natter-cli --help` for the commands.</source>
        <translation>Lancez `natter-cli --help` pour voir les commandes.</translation>
    </message>
    <message>
        <source>No command given.</source>
        <translation>Aucune commande indiquée.</translation>
    </message>
    <message>
        <source>“%1” is not a valid profile name (use letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;).</source>
        <translation>« %1 » n’est pas un nom de profil valide (utilisez des lettres, des chiffres, &apos;-&apos;, &apos;_&apos; et &apos;.&apos;).</translation>
    </message>
    <message>
        <source>Wrong number of arguments for “%1”.</source>
        <translation>Nombre d’arguments incorrect pour « %1 ».</translation>
    </message>
    <message>
        <source>The message is empty.</source>
        <translation>Le message est vide.</translation>
    </message>
    <message>
        <source>--limit takes a number from 1 to 200.</source>
        <translation>--limit attend un nombre de 1 à 200.</translation>
    </message>
    <message>
        <source>Unknown command “%1”.</source>
        <translation>Commande inconnue « %1 ».</translation>
    </message>
    <message>
        <source>--user is for the other commands; `login` takes the user name itself.</source>
        <translation>--user sert aux autres commandes ; `login` prend lui-même le nom d’utilisateur.</translation>
    </message>
    <message>
        <source>SEQ must be a message number (1 or more).</source>
        <translation>SEQ doit être un numéro de message (1 ou plus).</translation>
    </message>
    <message>
        <source>--reply-to takes a message number (1 or more).</source>
        <translation>--reply-to attend un numéro de message (1 ou plus).</translation>
    </message>
    <message>
        <source>EMOJI is empty.</source>
        <translation>EMOJI est vide.</translation>
    </message>
    <message>
        <source>--reply-to only goes with send.</source>
        <translation>--reply-to ne s’utilise qu’avec send.</translation>
    </message>
    <message>
        <source>--off only goes with react.</source>
        <translation>--off ne s’utilise qu’avec react.</translation>
    </message>
    <message>
        <source>“%1” is not a channel name: 1 to 64 lower-case letters, digits, “-” or “_”, starting with a letter or digit.</source>
        <translation>« %1 » n’est pas un nom de canal : 1 à 64 lettres minuscules, chiffres, « - » ou « _ », commençant par une lettre ou un chiffre.</translation>
    </message>
    <message>
        <source>The level is one of all, mentions or nothing.</source>
        <translation>Le niveau est all, mentions ou nothing.</translation>
    </message>
    <message>
        <source>--limit takes a number from 1 to 50.</source>
        <translation>--limit attend un nombre de 1 à 50.</translation>
    </message>
    <message>
        <source>--all only goes with channels.</source>
        <translation>--all ne s’utilise qu’avec channels.</translation>
    </message>
    <message>
        <source>--topic, --private and --member only go with create.</source>
        <translation>--topic, --private et --member ne s’utilisent qu’avec create.</translation>
    </message>
    <message>
        <source>--limit only goes with history and search.</source>
        <translation>--limit ne s’utilise qu’avec history et search.</translation>
    </message>
    <message>
        <source>A message carries at most %1 files.</source>
        <translation>Un message peut contenir au plus %1 fichiers.</translation>
    </message>
    <message>
        <source>Cannot read the file “%1”.</source>
        <translation>Impossible de lire le fichier « %1 ».</translation>
    </message>
    <message>
        <source>-o only goes with download.</source>
        <translation>-o ne s’utilise qu’avec download.</translation>
    </message>
    <message>
        <source>--attach only goes with send.</source>
        <translation>--attach ne s’utilise qu’avec send.</translation>
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
        <translation>Usage&#xa0;: natter-cli [--server URL] [--profile NAME] [--user USER] COMMAND [ARGS]

Commandes&#xa0;:
  login USER              Se connecter et garder la connexion dans le trousseau
                          du système. Le mot de passe est demandé dans le
                          terminal (sans être affiché), ou lu sur la première
                          ligne de l’entrée standard quand ce n’est pas un
                          terminal.
  channels [--all]        Lister vos canaux&#xa0;: nom, id, dernier seq. Avec --all&#xa0;:
                          l’annuaire des canaux (canaux publics et vos canaux
                          privés) avec le nombre de membres et les sujets.
  create NAME [--topic T] [--private] [--member USER]...
                          Créer un canal (NAME&#xa0;: 1 à 64 caractères parmi a-z,
                          0-9, - et _), public sauf avec --private, avec les
                          personnes indiquées.
  join CHANNEL            Rejoindre un canal public.
  leave CHANNEL           Quitter un canal.
  invite CHANNEL USER...  Ajouter des personnes à un canal dont vous faites
                          partie.
  dm USER [TEXT]          Ouvrir la conversation directe avec USER&#xa0;; avec TEXT,
                          l’y envoyer.
  send CHANNEL TEXT [--reply-to SEQ] [--attach FILE]...
                          Envoyer TEXT dans CHANNEL (un nom comme general, ou un
                          id)&#xa0;; se termine dès que le serveur l’a enregistré.
                          Avec --reply-to&#xa0;: en réponse au message numéro SEQ,
                          qu’il cite. Avec --attach (répétable)&#xa0;: les fichiers
                          sont d’abord téléversés et le message les contient,
                          dans l’ordre&#xa0;; TEXT peut alors être omis.
  upload CHANNEL FILE [--text TEXT]
                          Téléverser FILE dans CHANNEL sans envoyer de message&#xa0;;
                          affiche l’id du fichier (avec --json&#xa0;: l’objet fichier
                          du serveur). Un fichier qu’aucun message ne contient
                          est supprimé au bout de 24 heures.
                          Avec --text&#xa0;: envoyer ensuite un message avec TEXT et
                          le fichier, comme send CHANNEL TEXT --attach FILE.
  listen [--json]         Afficher chaque événement à son arrivée jusqu’à
                          l’arrêt (Ctrl+C)&#xa0;: messages (avec le message auquel
                          ils répondent et les personnes qu’ils mentionnent),
                          modifications, suppressions et réactions.
                          Avec --json&#xa0;: un objet JSON par ligne.
  history CHANNEL [--limit N]
                          Afficher les N messages les plus récents (50 par
                          défaut, 200 au plus).
  search QUERY [--limit N]
                          Rechercher dans les messages de vos canaux, les plus
                          récents d’abord (20 par défaut, 50 au plus)&#xa0;: mots,
                          &quot;une phrase&quot;, mot*, -mot, from:USER, in:CHANNEL,
                          before:YYYY-MM-DD, after:YYYY-MM-DD, has:file,
                          has:link. Mettez QUERY entre guillemets pour le
                          shell&#xa0;; placez -- devant une QUERY qui commence par -.
  download FILE_ID [-o PATH]
                          Enregistrer un fichier d’un message (son id figure
                          dans history --json et listen --json) dans PATH, ou
                          sous son propre nom dans le répertoire courant.
                          Relancez la commande après une interruption pour
                          reprendre là où elle s’est arrêtée.
  edit CHANNEL SEQ TEXT   Remplacer le texte de votre message numéro SEQ dans
                          CHANNEL.
  delete CHANNEL SEQ      Supprimer le message numéro SEQ dans CHANNEL (le
                          vôtre, ou n’importe lequel en tant qu’administrateur).
  react CHANNEL SEQ EMOJI [--off]
                          Réagir avec EMOJI (un seul emoji) au message numéro
                          SEQ dans CHANNEL&#xa0;; avec --off, retirer votre réaction.
  notify CHANNEL all|mentions|nothing
                          Quels messages de CHANNEL vous notifient, sur tous vos
                          appareils&#xa0;: chaque message, les mentions de vous, ou
                          aucun.
  logout                  Se déconnecter du serveur et oublier la connexion
                          gardée.

Options&#xa0;:
  --server URL            Le serveur (http, https, ws ou wss). Retenu par login.
  --profile NAME          Séparer les réglages et la connexion par profil (par
                          défaut&#xa0;: &quot;default&quot;), p. ex. pour deux comptes sur une
                          même machine.
  --user USER             Se connecter en tant que USER pour cette seule
                          commande (mot de passe comme pour login)&#xa0;; rien n’est
                          gardé et la session est révoquée ensuite.
  --json                  Sortie lisible par une machine (channels, history,
                          listen, send, edit, delete, react, notify, search,
                          upload, download).
  --reply-to SEQ          send&#xa0;: répondre au message numéro SEQ.
  --attach FILE           send&#xa0;: joindre FILE (jusqu’à 10 fois).
  --off                   react&#xa0;: retirer votre réaction au lieu de l’ajouter.
  --limit N               Nombre de messages qu’affiche history ou search.
  -o, --output PATH       download&#xa0;: où enregistrer le fichier.
  --timeout SECONDS       Abandonner après SECONDS secondes sans réponse
                          (30 par défaut).
  --verbose               Afficher aussi les messages de progression de la
                          connexion.
  -h, --help              Afficher cette aide.
  -v, --version           Afficher la version.

Sans trousseau système fonctionnel (pas de Secret Service, trousseau verrouillé
ou accès refusé), natter-cli ne peut pas garder une connexion d’une exécution à
l’autre et ne l’écrit jamais dans un fichier à la place&#xa0;: `login` vérifie alors
seulement votre mot de passe, le signale et se déconnecte aussitôt&#xa0;; utilisez
plutôt --user USER avec chaque commande.

Codes de sortie&#xa0;:
  0  succès
  1  erreur d’utilisation (commande inconnue, argument manquant ou invalide)
  2  authentification nécessaire ou échouée (non connecté, mauvais mot de passe,
     connexion expirée)
  3  réseau&#xa0;: serveur injoignable, problème TLS ou pas de réponse à temps
  4  le serveur a refusé (limite de débit, canal inconnu, pas votre message,
     message inexistant, délai de modification dépassé, erreur du serveur)
</translation>
    </message>
    <message>
        <source>--timeout takes a number of seconds from 1 to 3600.</source>
        <translation>--timeout attend un nombre de secondes de 1 à 3600.</translation>
    </message>
</context>
<context>
    <name>CliRunner</name>
    <message>
        <source>Which server? Pass --server URL, for example --server https://chat.example.org</source>
        <translation>Quel serveur&#xa0;? Indiquez --server URL, par exemple --server https://chat.example.org</translation>
    </message>
    <message>
        <source>Password for %1: </source>
        <translation>Mot de passe pour %1&#xa0;: </translation>
    </message>
    <message>
        <source>No password given.</source>
        <translation>Aucun mot de passe indiqué.</translation>
    </message>
    <message>
        <source>natter-cli cannot keep this sign-in, so it signs out again now. Your password is correct; use --user %1 with each command instead.</source>
        <translation>natter-cli ne peut pas garder cette connexion et se déconnecte donc maintenant. Votre mot de passe est correct&#xa0;; utilisez plutôt --user %1 avec chaque commande.</translation>
    </message>
    <message>
        <source>Signed in as %1 on %2.</source>
        <translation>Connecté en tant que %1 sur %2.</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>Non connecté.</translation>
    </message>
    <message>
        <source>Signed out.</source>
        <translation>Déconnecté.</translation>
    </message>
    <message>
        <source>Which server? Pass --server URL.</source>
        <translation>Quel serveur&#xa0;? Indiquez --server URL.</translation>
    </message>
    <message>
        <source>Not signed in. Run `natter-cli login USER` first, or pass --user USER.</source>
        <translation>Non connecté. Lancez d’abord `natter-cli login USER`, ou indiquez --user USER.</translation>
    </message>
    <message>
        <source>Not signed in to %1. Run `natter-cli --server %1 login USER` first, or pass --user USER.</source>
        <translation>Non connecté à %1. Lancez d’abord `natter-cli --server %1 login USER`, ou indiquez --user USER.</translation>
    </message>
    <message>
        <source>Without a keychain, pass --user USER to sign in for this one command.</source>
        <translation>Sans trousseau, indiquez --user USER pour vous connecter pour cette seule commande.</translation>
    </message>
</context>
<context>
    <name>EventFormatter</name>
    <message>
        <source>Connected as %1 (%2 channels). Press Ctrl+C to stop.</source>
        <translation>Connecté en tant que %1 (%2 canaux). Ctrl+C pour arrêter.</translation>
    </message>
    <message>
        <source>%1 is typing in #%2</source>
        <translation>%1 écrit dans #%2</translation>
    </message>
    <message>
        <source>%1 stopped typing in #%2</source>
        <translation>%1 a cessé d’écrire dans #%2</translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation>%1 est %2</translation>
    </message>
    <message>
        <source>Read #%1 up to %2</source>
        <translation>#%1 lu jusqu’à %2</translation>
    </message>
    <message>
        <source>New channel: %1</source>
        <translation>Nouveau canal&#xa0;: %1</translation>
    </message>
    <message>
        <source>Server error (%1): %2</source>
        <translation>Erreur du serveur (%1)&#xa0;: %2</translation>
    </message>
    <message>
        <source>You are no longer in %1</source>
        <translation>Vous ne faites plus partie de %1</translation>
    </message>
    <message>
        <source>The members of %1 changed</source>
        <translation>Les membres de %1 ont changé</translation>
    </message>
    <message>
        <source>[%1] #%2 &lt;%3&gt; message %4 was deleted</source>
        <translation>[%1] #%2 &lt;%3&gt; le message %4 a été supprimé</translation>
    </message>
    <message>
        <source>Too much changed in #%1 while away; reload its history to see it as it is now.</source>
        <translation>Trop de changements dans #%1 pendant votre absence&#xa0;; rechargez son historique pour le voir tel qu’il est maintenant.</translation>
    </message>
    <message>
        <source>[%1] #%2 &lt;%3&gt; (message %4, edited) %5</source>
        <translation>[%1] #%2 &lt;%3&gt; (message %4, modifié) %5</translation>
    </message>
    <message>
        <source>(reply to message %1, deleted) </source>
        <translation>(réponse au message %1, supprimé) </translation>
    </message>
    <message>
        <source>(reply to %1, message %2: “%3”) </source>
        <translation>(réponse à %1, message %2 : « %3 ») </translation>
    </message>
    <message>
        <source>(mentions you) </source>
        <translation>(vous mentionne) </translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>[%1] #%2 &lt;%3&gt; reactions on message %4: %5</source>
        <translation>[%1] #%2 &lt;%3&gt; réactions au message %4 : %5</translation>
    </message>
    <message>
        <source>No messages match “%1”.</source>
        <translation>Aucun message ne correspond à « %1 ».</translation>
    </message>
    <message>
        <source>    file: %1 (%2, %3) — natter-cli download %4</source>
        <translation>    fichier&#xa0;: %1 (%2, %3) — natter-cli download %4</translation>
    </message>
</context>
<context>
    <name>KeychainTokenStore</name>
    <message>
        <source>Access to the system keychain was denied.</source>
        <translation>L’accès au trousseau du système a été refusé.</translation>
    </message>
    <message>
        <source>The saved sign-in could not be removed from the system keychain.</source>
        <translation>La connexion enregistrée n’a pas pu être retirée du trousseau du système.</translation>
    </message>
    <message>
        <source>No system keychain is available (is a Secret Service such as GNOME Keyring or KWallet running and unlocked?).</source>
        <translation>Aucun trousseau système n’est disponible (un Secret Service comme GNOME Keyring ou KWallet est-il lancé et déverrouillé&#xa0;?).</translation>
    </message>
</context>
<context>
    <name>Natter::AboutDialog</name>
    <message>
        <source>About Natter</source>
        <translation>À propos de Natter</translation>
    </message>
    <message>
        <source>Natter logo</source>
        <translation>Logo de Natter</translation>
    </message>
    <message>
        <source>Team chat for people who would rather talk than configure.</source>
        <translation>La messagerie d’équipe pour ceux qui préfèrent discuter que configurer.</translation>
    </message>
    <message>
        <source>Free software under the %1.</source>
        <extracomment>%1 is the licence&apos;s name.</extracomment>
        <translation>Logiciel libre sous %1.</translation>
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
        <translation>Téléversement de %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel the upload of %1</source>
        <translation>Annuler le téléversement de %1</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Retirer %1</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for the server: the upload starts again in %n second(s).</source>
        <translation>
            <numerusform>En attente du serveur&#xa0;: le téléversement reprend dans %n seconde.</numerusform>
            <numerusform>En attente du serveur&#xa0;: le téléversement reprend dans %n secondes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::AttachmentController</name>
    <message>
        <source>Save File</source>
        <extracomment>Title of the Save as… dialog for a file of a message.</extracomment>
        <translation>Enregistrer le fichier</translation>
    </message>
    <message>
        <source>Files of this message</source>
        <translation>Fichiers de ce message</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>Ouvrir %1</translation>
    </message>
    <message>
        <source>Save %1…</source>
        <translation>Enregistrer %1…</translation>
    </message>
    <message>
        <source>There is no room for a temporary copy of the picture.</source>
        <translation>Il n’y a pas de place pour une copie temporaire de l’image.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <extracomment>Progress of saving a file of a message; %1 its name.</extracomment>
        <translation>Enregistrement de %1…</translation>
    </message>
    <message>
        <source>Saving %1</source>
        <translation>Enregistrement de %1</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>Enregistrement</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stopped saving %1.</source>
        <extracomment>Status bar: the person stopped saving a file; %1 its name.</extracomment>
        <translation>Enregistrement de %1 interrompu.</translation>
    </message>
    <message>
        <source>Saved %1 to %2.</source>
        <extracomment>Status bar after a file was saved; %1 its name, %2 the path.</extracomment>
        <translation>%1 a été enregistré sous %2.</translation>
    </message>
    <message>
        <source>File Saved</source>
        <translation>Fichier enregistré</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Natter does not open programs, scripts or launchers: they could run code on your computer. Open it yourself only if you trust where it came from.</source>
        <translation>Natter n’ouvre pas les programmes, scripts ni lanceurs&#xa0;: ils pourraient exécuter du code sur votre ordinateur. Ne l’ouvrez vous-même que si vous faites confiance à sa provenance.</translation>
    </message>
    <message>
        <source>File Not Saved</source>
        <translation>Fichier non enregistré</translation>
    </message>
    <message>
        <source>%1 was not saved. %2</source>
        <extracomment>%1 the file&apos;s name, %2 why (a sentence).</extracomment>
        <translation>%1 n’a pas été enregistré. %2</translation>
    </message>
    <message>
        <source>&amp;Try Again</source>
        <translation>&amp;Réessayer</translation>
    </message>
</context>
<context>
    <name>Natter::AttachmentTray</name>
    <message>
        <source>Attach Files…</source>
        <translation>Joindre des fichiers…</translation>
    </message>
    <message>
        <source>Attach files to the message (%1)</source>
        <translation>Joindre des fichiers au message (%1)</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Joindre des fichiers</translation>
    </message>
    <message>
        <source>Upload problem</source>
        <translation>Problème de téléversement</translation>
    </message>
    <message>
        <source>Attach Files</source>
        <translation>Joindre des fichiers</translation>
    </message>
    <message>
        <source>The pasted image could not be saved for sending.</source>
        <translation>L’image collée n’a pas pu être enregistrée pour l’envoi.</translation>
    </message>
    <message>
        <source>Pasted image %1.png</source>
        <extracomment>The name a pasted image gets; %1 is the date and time, e.g. &quot;2026-12-05 16.45.10&quot;.</extracomment>
        <translation>Image collée %1.png</translation>
    </message>
    <message>
        <source>Files cannot be added to a message being edited.</source>
        <translation>Impossible d’ajouter des fichiers à un message en cours de modification.</translation>
    </message>
    <message numerus="yes">
        <source>A message can carry at most %n file(s).</source>
        <translation>
            <numerusform>Un message peut contenir au plus %n fichier.</numerusform>
            <numerusform>Un message peut contenir au plus %n fichiers.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sending as soon as the files have uploaded…</source>
        <translation>Envoi dès que les fichiers seront téléversés…</translation>
    </message>
</context>
<context>
    <name>Natter::AuthClient</name>
    <message>
        <source>The server at %1 gave an answer Natter does not understand. Is it a Natter server?</source>
        <translation>Le serveur %1 a donné une réponse que Natter ne comprend pas. Est-ce un serveur Natter&#xa0;?</translation>
    </message>
    <message>
        <source>A secure connection to %1 could not be established (TLS problem).</source>
        <translation>Impossible d’établir une connexion sécurisée avec %1 (problème TLS).</translation>
    </message>
    <message>
        <source>A secure connection to %1 could not be established: %2</source>
        <translation>Impossible d’établir une connexion sécurisée avec %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The server at %1 did not answer in time. Check the address and your network connection, then try again.</source>
        <translation>Le serveur %1 n’a pas répondu à temps. Vérifiez l’adresse et votre connexion réseau, puis réessayez.</translation>
    </message>
    <message>
        <source>Cannot reach the server at %1. Check the address and your network connection.</source>
        <translation>Impossible de joindre le serveur %1. Vérifiez l’adresse et votre connexion réseau.</translation>
    </message>
    <message>
        <source>Cannot talk to the server at %1: %2</source>
        <translation>Impossible de communiquer avec le serveur %1&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>Too many sign-in attempts. Please wait %n minute(s) before trying again.</source>
        <translation>
            <numerusform>Trop de tentatives de connexion. Veuillez patienter %n minute avant de réessayer.</numerusform>
            <numerusform>Trop de tentatives de connexion. Veuillez patienter %n minutes avant de réessayer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many sign-in attempts. Please wait %n second(s) before trying again.</source>
        <translation>
            <numerusform>Trop de tentatives de connexion. Veuillez patienter %n seconde avant de réessayer.</numerusform>
            <numerusform>Trop de tentatives de connexion. Veuillez patienter %n secondes avant de réessayer.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>Nom d’utilisateur ou mot de passe incorrect.</translation>
    </message>
    <message>
        <source>Your session has expired — please sign in again</source>
        <translation>Votre session a expiré — veuillez vous reconnecter</translation>
    </message>
    <message>
        <source>Your session is no longer valid — please sign in again</source>
        <translation>Votre session n’est plus valide — veuillez vous reconnecter</translation>
    </message>
    <message>
        <source>The server had a problem (HTTP %1). Please try again later.</source>
        <translation>Le serveur a rencontré un problème (HTTP %1). Veuillez réessayer plus tard.</translation>
    </message>
    <message>
        <source>%1 does not look like a Natter server (no sign-in service found).</source>
        <translation>%1 ne semble pas être un serveur Natter (aucun service de connexion trouvé).</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation>Le serveur a refusé la requête (HTTP %1).</translation>
    </message>
    <message>
        <source>No server address is set.</source>
        <translation>Aucune adresse de serveur n’est définie.</translation>
    </message>
</context>
<context>
    <name>Natter::AuthSession</name>
    <message>
        <source>You are not signed in.</source>
        <translation>Vous n’êtes pas connecté.</translation>
    </message>
    <message>
        <source>Natter cannot use the system keychain, so it cannot remember this sign-in. You can keep chatting now, but you will have to sign in again next time.</source>
        <translation>Natter ne peut pas utiliser le trousseau du système et ne peut donc pas retenir cette connexion. Vous pouvez continuer à discuter maintenant, mais vous devrez vous reconnecter la prochaine fois.</translation>
    </message>
    <message>
        <source>You are signed out on this computer, but the server could not end the session there: %1 It ends there by itself when it expires.</source>
        <translation>Vous êtes déconnecté sur cet ordinateur, mais le serveur n’a pas pu y mettre fin à la session : %1 Elle y prendra fin d’elle-même à son expiration.</translation>
    </message>
</context>
<context>
    <name>Natter::BrowseChannelsDialog</name>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Rejoindre</translation>
    </message>
    <message>
        <source>Browse channels</source>
        <translation>Parcourir les canaux</translation>
    </message>
    <message>
        <source>Search channels by name or topic</source>
        <translation>Rechercher des canaux par nom ou sujet</translation>
    </message>
    <message>
        <source>Search channels</source>
        <translation>Rechercher des canaux</translation>
    </message>
    <message>
        <source>Channels on this server</source>
        <translation>Canaux sur ce serveur</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Membres</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <source>Join the selected channel and open it</source>
        <translation>Rejoindre le canal sélectionné et l’ouvrir</translation>
    </message>
    <message>
        <source>%1 (archived)</source>
        <translation>%1 (archivé)</translation>
    </message>
    <message>
        <source>%1 (joined)</source>
        <translation>%1 (rejoint)</translation>
    </message>
    <message>
        <source>%1, members: %2, %3</source>
        <translation>%1, membres : %2, %3</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelActions</name>
    <message>
        <source>You left #%1.</source>
        <extracomment>%1 is a channel name</extracomment>
        <translation>Vous avez quitté #%1.</translation>
    </message>
    <message>
        <source>&amp;Conversations</source>
        <translation>&amp;Conversations</translation>
    </message>
    <message>
        <source>New &amp;direct message…</source>
        <translation>Nouveau message &amp;direct…</translation>
    </message>
    <message>
        <source>&amp;Create channel…</source>
        <translation>&amp;Créer un canal…</translation>
    </message>
    <message>
        <source>&amp;Browse channels…</source>
        <translation>&amp;Parcourir les canaux…</translation>
    </message>
    <message>
        <source>&amp;Invite people…</source>
        <translation>&amp;Inviter des personnes…</translation>
    </message>
    <message>
        <source>&amp;Edit name and topic…</source>
        <translation>&amp;Modifier le nom et le sujet…</translation>
    </message>
    <message>
        <source>&amp;Archive channel</source>
        <translation>&amp;Archiver le canal</translation>
    </message>
    <message>
        <source>&amp;Leave channel</source>
        <translation>&amp;Quitter le canal</translation>
    </message>
    <message>
        <source>Show &amp;members</source>
        <translation>Afficher les &amp;membres</translation>
    </message>
    <message>
        <source>Un&amp;archive channel</source>
        <translation>&amp;Désarchiver le canal</translation>
    </message>
    <message>
        <source>&amp;Message %1</source>
        <extracomment>%1 is a person&apos;s name; opens the direct conversation with them</extracomment>
        <translation>&amp;Message à %1</translation>
    </message>
    <message>
        <source>Archive channel</source>
        <translation>Archiver le canal</translation>
    </message>
    <message>
        <source>Archive #%1? Everyone can still read it, but nobody can write in it until it is unarchived.</source>
        <translation>Archiver #%1&#xa0;? Tout le monde pourra encore le lire, mais personne ne pourra y écrire tant qu’il ne sera pas désarchivé.</translation>
    </message>
    <message>
        <source>Leave channel</source>
        <translation>Quitter le canal</translation>
    </message>
    <message>
        <source>Leave #%1? It is private: you need an invitation to come back.</source>
        <translation>Quitter #%1&#xa0;? Il est privé&#xa0;: il vous faudra une invitation pour revenir.</translation>
    </message>
    <message>
        <source>Leave #%1? You can join it again from Browse channels.</source>
        <translation>Quitter #%1&#xa0;? Vous pourrez le rejoindre à nouveau depuis Parcourir les canaux.</translation>
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
            <numerusform>Non lus : %n</numerusform>
            <numerusform>Non lus : %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mentions of you: %n</source>
        <translation>
            <numerusform>Mentions de vous : %n</numerusform>
            <numerusform>Mentions de vous : %n</numerusform>
        </translation>
    </message>
    <message>
        <source>notifies only for mentions</source>
        <translation>notifie seulement les mentions</translation>
    </message>
    <message>
        <source>muted</source>
        <translation>en sourdine</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelInfoBar</name>
    <message>
        <source>Channel topic</source>
        <translation>Sujet du canal</translation>
    </message>
    <message>
        <source>Archived channel</source>
        <translation>Canal archivé</translation>
    </message>
    <message>
        <source>This channel is archived: you can read it, but nobody can write in it any more.</source>
        <translation>Ce canal est archivé&#xa0;: vous pouvez le lire, mais plus personne ne peut y écrire.</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelListMenu</name>
    <message>
        <source>Actions for %1</source>
        <translation>Actions pour %1</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelListModel</name>
    <message>
        <source>Message deleted</source>
        <translation>Message supprimé</translation>
    </message>
</context>
<context>
    <name>Natter::ChannelNotifications</name>
    <message>
        <source>%1 in %2</source>
        <extracomment>A desktop notification&apos;s title: %1 wrote in channel %2.</extracomment>
        <translation>%1 dans %2</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Nouveau message</translation>
    </message>
    <message numerus="yes">
        <source>%n new messages in %1</source>
        <extracomment>A desktop notification&apos;s title: how many new messages in channel %1.</extracomment>
        <translation>
            <numerusform>%n nouveau message dans %1</numerusform>
            <numerusform>%n nouveaux messages dans %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>One line of a grouped notification: author, then the message text.</extracomment>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>Natter::ChatSession</name>
    <message>
        <source>You are not allowed to change this message.</source>
        <translation>Vous n’êtes pas autorisé à modifier ce message.</translation>
    </message>
    <message>
        <source>This message no longer exists.</source>
        <translation>Ce message n’existe plus.</translation>
    </message>
    <message>
        <source>This message is too old to be edited.</source>
        <translation>Ce message est trop ancien pour être modifié.</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>Le message est trop long.</translation>
    </message>
    <message>
        <source>You are no longer a member of this channel.</source>
        <translation>Vous n’êtes plus membre de ce canal.</translation>
    </message>
    <message>
        <source>Too many changes at once; please try again in a moment.</source>
        <translation>Trop de modifications à la fois&#xa0;; veuillez réessayer dans un instant.</translation>
    </message>
    <message>
        <source>The server refused the change (%1).</source>
        <translation>Le serveur a refusé la modification (%1).</translation>
    </message>
    <message>
        <source>This message has not been sent yet.</source>
        <translation>Ce message n’a pas encore été envoyé.</translation>
    </message>
    <message>
        <source>This message already has as many different reactions as it can take.</source>
        <translation>Ce message a déjà autant de réactions différentes qu’il peut en avoir.</translation>
    </message>
    <message>
        <source>This channel is archived; its messages can no longer be changed.</source>
        <translation>Ce canal est archivé ; ses messages ne peuvent plus être modifiés.</translation>
    </message>
    <message>
        <source>There is already a channel with this name.</source>
        <translation>Il existe déjà un canal portant ce nom.</translation>
    </message>
    <message>
        <source>The server did not accept this (a channel name is 1 to 64 lower-case letters, digits, “-” or “_”, starting with a letter or digit).</source>
        <translation>Le serveur n’a pas accepté ceci (un nom de canal comporte 1 à 64 lettres minuscules, chiffres, « - » ou « _ », et commence par une lettre ou un chiffre).</translation>
    </message>
    <message>
        <source>The topic is too long (at most 250 characters).</source>
        <translation>Le sujet est trop long (250 caractères au plus).</translation>
    </message>
    <message>
        <source>You are not allowed to do this in this channel.</source>
        <translation>Vous n’avez pas le droit de faire ceci dans ce canal.</translation>
    </message>
    <message>
        <source>This channel is archived: nobody can join it or be invited to it.</source>
        <translation>Ce canal est archivé&#xa0;: personne ne peut le rejoindre ni y être invité.</translation>
    </message>
    <message>
        <source>This channel does not exist, or is private.</source>
        <translation>Ce canal n’existe pas, ou est privé.</translation>
    </message>
    <message>
        <source>You are not a member of this channel.</source>
        <translation>Vous n’êtes pas membre de ce canal.</translation>
    </message>
    <message>
        <source>The server refused this (%1).</source>
        <translation>Le serveur a refusé ceci (%1).</translation>
    </message>
    <message>
        <source>This person is not on this server (any more).</source>
        <translation>Cette personne n’est pas (ou plus) sur ce serveur.</translation>
    </message>
    <message>
        <source>The server did not accept this change.</source>
        <translation>Le serveur n’a pas accepté cette modification.</translation>
    </message>
    <message>
        <source>The server cannot take this right now; please try again in a moment.</source>
        <translation>Le serveur ne peut pas accepter cela pour le moment&#xa0;; veuillez réessayer dans un instant.</translation>
    </message>
    <message>
        <source>The notifications of %1 stay as they were. %2</source>
        <extracomment>%1 is a channel name or, for a direct conversation, a person&apos;s name; %2 says why (a sentence)</extracomment>
        <translation>Les notifications de %1 restent inchangées. %2</translation>
    </message>
</context>
<context>
    <name>Natter::ChatWindow</name>
    <message>
        <source>Channels</source>
        <translation>Canaux</translation>
    </message>
    <message>
        <source>Your channels and direct conversations, most recent first</source>
        <translation>Vos canaux et conversations directes, les plus récents en premier</translation>
    </message>
    <message>
        <source>Channel name</source>
        <translation>Nom du canal</translation>
    </message>
    <message>
        <source>Members and their presence</source>
        <translation>Membres et leur présence</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Messages of the open conversation, oldest at the top</source>
        <translation>Messages de la conversation ouverte, les plus anciens en haut</translation>
    </message>
    <message>
        <source>Who is typing</source>
        <translation>Qui est en train d’écrire</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>État de la connexion</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>Se reconnecter maintenant</translation>
    </message>
    <message>
        <source>Try to connect to the server right away</source>
        <translation>Essayer de se connecter au serveur tout de suite</translation>
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
        <translation>&amp;Aller à…</translation>
    </message>
    <message>
        <source>&amp;Previous channel</source>
        <translation>Canal &amp;précédent</translation>
    </message>
    <message>
        <source>N&amp;ext channel</source>
        <translation>Canal &amp;suivant</translation>
    </message>
    <message>
        <source>Jump to &amp;newest message</source>
        <translation>Aller au &amp;dernier message</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Se déc&amp;onnecter</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Signing in to the server…</source>
        <translation>Connexion au serveur…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>Signed out: %1</source>
        <translation>Déconnecté&#xa0;: %1</translation>
    </message>
    <message>
        <source>Connection lost</source>
        <translation>Connexion perdue</translation>
    </message>
    <message>
        <source>%1 — reconnecting…</source>
        <translation>%1 — reconnexion…</translation>
    </message>
    <message numerus="yes">
        <source>%1 — reconnecting in %n s</source>
        <translation>
            <numerusform>%1 — reconnexion dans %n s</numerusform>
            <numerusform>%1 — reconnexion dans %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <source>away</source>
        <translation>absent</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <source>%1 — Natter</source>
        <translation>%1 — Natter</translation>
    </message>
    <message>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message numerus="yes">
        <source>Natter — %n unread</source>
        <translation>
            <numerusform>Natter — %n non lu</numerusform>
            <numerusform>Natter — %n non lus</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Copy text</source>
        <translation>&amp;Copier le texte</translation>
    </message>
    <message>
        <source>&amp;Retry sending</source>
        <translation>&amp;Renvoyer</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>&amp;Abandonner</translation>
    </message>
    <message>
        <source>You were removed from %1.</source>
        <extracomment>%1 is a channel name. Shown when an administrator removed the user from it.</extracomment>
        <translation>Vous avez été retiré de %1.</translation>
    </message>
    <message>
        <source>Loading messages…</source>
        <translation>Chargement des messages…</translation>
    </message>
    <message>
        <source>You have no message here to edit.</source>
        <translation>Vous n’avez ici aucun message à modifier.</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Modifier</translation>
    </message>
    <message>
        <source>De&amp;lete…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <source>&amp;React</source>
        <translation>&amp;Réagir</translation>
    </message>
    <message>
        <source>Remove your %1 reaction</source>
        <extracomment>Accessible name of an entry of the React menu; %1 is the emoji.</extracomment>
        <translation>Retirer votre réaction %1</translation>
    </message>
    <message>
        <source>React with %1</source>
        <translation>Réagir avec %1</translation>
    </message>
    <message>
        <source>Re&amp;ply</source>
        <translation>Ré&amp;pondre</translation>
    </message>
    <message>
        <source>Jump to first &amp;unread message</source>
        <translation>Aller au premier message &amp;non lu</translation>
    </message>
    <message>
        <source>There are no unread messages here.</source>
        <translation>Il n’y a pas de message non lu ici.</translation>
    </message>
    <message>
        <source>Noti&amp;fications for this channel</source>
        <extracomment>Menu bar: the notification level of the channel being shown.</extracomment>
        <translation>Noti&amp;fications pour ce canal</translation>
    </message>
    <message>
        <source>&amp;Add reaction…</source>
        <translation>&amp;Ajouter une réaction…</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>Pa&amp;ramètres…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About Natter</source>
        <translation>À &amp;propos de Natter</translation>
    </message>
    <message>
        <source>&amp;Show Natter</source>
        <translation>&amp;Afficher Natter</translation>
    </message>
    <message>
        <source>Notify everyone?</source>
        <translation>Notifier tout le monde&#xa0;?</translation>
    </message>
    <message numerus="yes">
        <source>@channel notifies all %n other members of #%1.</source>
        <translation>
            <numerusform>@channel notifie %n autre membre de #%1.</numerusform>
            <numerusform>@channel notifie les %n autres membres de #%1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Send the message and notify them?</source>
        <translation>Envoyer le message et les notifier&#xa0;?</translation>
    </message>
    <message>
        <source>&amp;Notify everyone</source>
        <translation>&amp;Notifier tout le monde</translation>
    </message>
    <message>
        <source>Removed your %1 reaction</source>
        <translation>Votre réaction %1 a été retirée</translation>
    </message>
    <message>
        <source>Reacted with %1</source>
        <translation>Réaction %1 ajoutée</translation>
    </message>
    <message>
        <source>Loading older messages to find the message answered…</source>
        <translation>Chargement des messages plus anciens pour trouver le message auquel il est répondu…</translation>
    </message>
    <message>
        <source>The message answered is no longer in this channel&apos;s history.</source>
        <translation>Le message auquel il est répondu n’est plus dans l’historique de ce canal.</translation>
    </message>
    <message>
        <source>Resize the channel list</source>
        <translation>Redimensionner la liste des canaux</translation>
    </message>
    <message>
        <source>Resize the window</source>
        <translation>Redimensionner la fenêtre</translation>
    </message>
    <message numerus="yes">
        <source>New messages: %n. Shift+Esc jumps to the first.</source>
        <extracomment>Said to screen readers when a channel with unread messages opens (the &quot;New messages&quot; line); %n how many. Shift+Esc is the jump&apos;s shortcut.</extracomment>
        <translation>
            <numerusform>%n nouveau message. Maj+Échap permet d’y aller.</numerusform>
            <numerusform>%n nouveaux messages. Maj+Échap permet d’aller au premier.</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading older messages to find the message…</source>
        <translation>Chargement des messages plus anciens pour trouver le message…</translation>
    </message>
    <message>
        <source>The message is no longer in this channel&apos;s history.</source>
        <translation>Le message n’est plus dans l’historique de ce canal.</translation>
    </message>
    <message>
        <source>Fin&amp;d messages…</source>
        <translation>Rechercher dans les &amp;messages…</translation>
    </message>
    <message>
        <source>A message was not sent: %1</source>
        <translation>Un message n’a pas été envoyé : %1</translation>
    </message>
    <message>
        <source>Connected again.</source>
        <translation>De nouveau connecté.</translation>
    </message>
    <message>
        <source>The server cannot take your change right now; it will be sent again.</source>
        <translation>Le serveur ne peut pas accepter votre modification pour le moment ; elle sera renvoyée.</translation>
    </message>
    <message>
        <source>This is too long to send: %1 characters, at most %2. Shorten it first.</source>
        <extracomment>%1: the draft&apos;s length, %2: the limit (4,000)</extracomment>
        <translation>C’est trop long pour être envoyé : %1 caractères, %2 au plus. Raccourcissez-le d’abord.</translation>
    </message>
    <message>
        <source>%1 What you wrote is back in the message box.</source>
        <extracomment>%1: why the edit was refused (a sentence)</extracomment>
        <translation>%1 Votre texte est de nouveau dans la zone de saisie.</translation>
    </message>
    <message>
        <source>%1 What you wrote is kept as a draft in %2.</source>
        <extracomment>%1: why the edit was refused (a sentence); %2: the channel&apos;s name</extracomment>
        <translation>%1 Votre texte est conservé comme brouillon dans %2.</translation>
    </message>
    <message>
        <source>A message is waiting to be sent; reply once it has gone.</source>
        <translation>Un message attend d’être envoyé&#xa0;; répondez une fois qu’il sera parti.</translation>
    </message>
</context>
<context>
    <name>Natter::CliChatTask</name>
    <message>
        <source>The server did not answer in time.</source>
        <translation>Le serveur n’a pas répondu à temps.</translation>
    </message>
    <message>
        <source>The server did not answer in time: %1</source>
        <translation>Le serveur n’a pas répondu à temps&#xa0;: %1</translation>
    </message>
    <message>
        <source>The server ended the session: %1. Run `natter-cli login` again.</source>
        <translation>Le serveur a mis fin à la session&#xa0;: %1. Relancez `natter-cli login`.</translation>
    </message>
    <message>
        <source>Cannot connect to the chat server: %1</source>
        <translation>Impossible de se connecter au serveur de discussion&#xa0;: %1</translation>
    </message>
    <message>
        <source>Connection lost (%1); reconnecting…</source>
        <translation>Connexion perdue (%1)&#xa0;; reconnexion…</translation>
    </message>
    <message>
        <source>Sent to #%1 (seq %2).</source>
        <translation>Envoyé dans #%1 (seq %2).</translation>
    </message>
    <message>
        <source>The message was not sent: %1</source>
        <translation>Le message n’a pas été envoyé&#xa0;: %1</translation>
    </message>
    <message>
        <source>You have no channel called “%1”. `natter-cli channels` lists yours.</source>
        <translation>Vous n’avez pas de canal nommé « %1 ». `natter-cli channels` liste les vôtres.</translation>
    </message>
    <message>
        <source>Deleted message %1 in #%2.</source>
        <translation>Message %1 supprimé dans #%2.</translation>
    </message>
    <message>
        <source>Edited message %1 in #%2.</source>
        <translation>Message %1 modifié dans #%2.</translation>
    </message>
    <message>
        <source>There is no message %1 in #%2.</source>
        <translation>Il n’y a pas de message %1 dans #%2.</translation>
    </message>
    <message>
        <source>Message %1 in #%2 has been deleted.</source>
        <translation>Le message %1 dans #%2 a été supprimé.</translation>
    </message>
    <message>
        <source>Removed your %1 from message %2 in #%3.</source>
        <translation>Votre réaction %1 au message %2 dans #%3 a été retirée.</translation>
    </message>
    <message>
        <source>Reacted %1 to message %2 in #%3.</source>
        <translation>Réaction %1 ajoutée au message %2 dans #%3.</translation>
    </message>
    <message>
        <source>members: %1</source>
        <translation>membres&#xa0;: %1</translation>
    </message>
    <message>
        <source>joined</source>
        <translation>rejoint</translation>
    </message>
    <message>
        <source>archived</source>
        <translation>archivé</translation>
    </message>
    <message>
        <source>There is no public channel called “%1”. `natter-cli channels --all` lists them.</source>
        <translation>Il n’existe pas de canal public nommé « %1 ». `natter-cli channels --all` les liste.</translation>
    </message>
    <message>
        <source>There is nobody called “%1” on this server.</source>
        <translation>Il n’y a personne nommé « %1 » sur ce serveur.</translation>
    </message>
    <message>
        <source>Created #%1 (%2).</source>
        <translation>#%1 créé (%2).</translation>
    </message>
    <message>
        <source>You are in #%1 (%2).</source>
        <translation>Vous êtes dans #%1 (%2).</translation>
    </message>
    <message>
        <source>Invited to #%1; members: %2.</source>
        <translation>Invités dans #%1&#xa0;; membres&#xa0;: %2.</translation>
    </message>
    <message>
        <source>Direct conversation with %1: %2.</source>
        <translation>Conversation directe avec %1&#xa0;: %2.</translation>
    </message>
    <message>
        <source>You are no longer in #%1.</source>
        <translation>Vous ne faites plus partie de #%1.</translation>
    </message>
    <message>
        <source>You left #%1.</source>
        <translation>Vous avez quitté #%1.</translation>
    </message>
    <message>
        <source>#%1 notifies you about every message.</source>
        <translation>#%1 vous notifie à chaque message.</translation>
    </message>
    <message>
        <source>#%1 notifies you only when you are mentioned.</source>
        <translation>#%1 vous notifie seulement quand vous êtes mentionné.</translation>
    </message>
    <message>
        <source>#%1 notifies you about nothing.</source>
        <translation>#%1 ne vous notifie de rien.</translation>
    </message>
    <message>
        <source>Continuing the download from byte %1.</source>
        <translation>Reprise du téléchargement à partir de l’octet %1.</translation>
    </message>
    <message>
        <source>%1 already exists; the file was saved as %2.</source>
        <translation>%1 existe déjà&#xa0;; le fichier a été enregistré sous %2.</translation>
    </message>
    <message>
        <source>Run the same command again to continue.</source>
        <translation>Relancez la même commande pour continuer.</translation>
    </message>
    <message>
        <source>Saved %1 (%2 bytes).</source>
        <extracomment>natter-cli download; %1 the path, %2 its size in bytes.</extracomment>
        <translation>%1 enregistré (%2 octets).</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>%1: why, in words; %2: the server&apos;s error code, for scripts.</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>A reaction must be a single emoji.</source>
        <translation>Une réaction doit être un seul emoji.</translation>
    </message>
    <message>
        <source>The server could not take this in time (rate_limited); it was not done.</source>
        <translation>Le serveur n’a pas pu accepter cela à temps (rate_limited) ; rien n’a été fait.</translation>
    </message>
</context>
<context>
    <name>Natter::Composer</name>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter for a new line)</source>
        <translation>Écrire un message… (Entrée envoie, Maj+Entrée pour une nouvelle ligne)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Edit the message… (Enter saves, Esc cancels)</source>
        <translation>Modifiez le message… (Entrée enregistre, Échap annule)</translation>
    </message>
    <message>
        <source>Editing a message you sent. Enter saves the change, Esc cancels it.</source>
        <translation>Modification d’un message que vous avez envoyé. Entrée enregistre la modification, Échap l’annule.</translation>
    </message>
    <message>
        <source>Type a message. Enter sends it, Shift+Enter starts a new line, Up in an empty box edits your last message.</source>
        <translation>Saisissez un message. Entrée l’envoie, Maj+Entrée commence une nouvelle ligne, Flèche haut dans une zone vide modifie votre dernier message.</translation>
    </message>
    <message>
        <source>People to mention</source>
        <translation>Personnes à mentionner</translation>
    </message>
</context>
<context>
    <name>Natter::ConnectionManager</name>
    <message>
        <source>The server did not answer in time.</source>
        <translation>Le serveur n’a pas répondu à temps.</translation>
    </message>
    <message>
        <source>The server did not confirm the login in time.</source>
        <translation>Le serveur n’a pas confirmé la connexion à temps.</translation>
    </message>
    <message>
        <source>The server stopped answering.</source>
        <translation>Le serveur ne répond plus.</translation>
    </message>
    <message>
        <source>There is no valid login.</source>
        <translation>Aucune connexion valide.</translation>
    </message>
    <message>
        <source>The server refused the connection. Is it running?</source>
        <translation>Le serveur a refusé la connexion. Est-il démarré&#xa0;?</translation>
    </message>
    <message>
        <source>The server&apos;s address could not be found.</source>
        <translation>L’adresse du serveur est introuvable.</translation>
    </message>
    <message>
        <source>A secure connection could not be established: %1</source>
        <translation>Impossible d’établir une connexion sécurisée&#xa0;: %1</translation>
    </message>
    <message>
        <source>The connection failed: %1</source>
        <translation>La connexion a échoué&#xa0;: %1</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted: %1</source>
        <translation>Le certificat du serveur n’est pas digne de confiance&#xa0;: %1</translation>
    </message>
    <message>
        <source>The server closed the connection.</source>
        <translation>Le serveur a fermé la connexion.</translation>
    </message>
    <message>
        <source>The server no longer accepts this login.</source>
        <translation>Le serveur n’accepte plus cette connexion.</translation>
    </message>
    <message>
        <source>Too many messages were sent too fast; waiting before reconnecting.</source>
        <translation>Trop de messages ont été envoyés trop vite&#xa0;; attente avant de se reconnecter.</translation>
    </message>
    <message>
        <source>The message is too large to send.</source>
        <translation>Le message est trop volumineux pour être envoyé.</translation>
    </message>
    <message>
        <source>The server refused a message that was too large.</source>
        <translation>Le serveur a refusé un message trop volumineux.</translation>
    </message>
    <message>
        <source>The server is restarting.</source>
        <translation>Le serveur redémarre.</translation>
    </message>
    <message>
        <source>The connection was idle for too long.</source>
        <translation>La connexion est restée inactive trop longtemps.</translation>
    </message>
    <message>
        <source>The connection was lost.</source>
        <translation>La connexion a été perdue.</translation>
    </message>
    <message>
        <source>The login could not be renewed: %1</source>
        <translation>La connexion n’a pas pu être renouvelée&#xa0;: %1</translation>
    </message>
    <message>
        <source>You have been signed out: %1</source>
        <translation>Vous avez été déconnecté&#xa0;: %1</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>Le message est trop long.</translation>
    </message>
    <message>
        <source>You cannot write to this channel.</source>
        <translation>Vous ne pouvez pas écrire dans ce canal.</translation>
    </message>
    <message>
        <source>The server refused the message (%1).</source>
        <translation>Le serveur a refusé le message (%1).</translation>
    </message>
    <message>
        <source>The message could not be saved.</source>
        <translation>Le message n’a pas pu être enregistré.</translation>
    </message>
    <message>
        <source>The message you replied to no longer exists.</source>
        <translation>Le message auquel vous répondez n’existe plus.</translation>
    </message>
    <message>
        <source>This channel is archived; it can be read but not written to.</source>
        <translation>Ce canal est archivé ; on peut le lire mais pas y écrire.</translation>
    </message>
    <message>
        <source>You are not allowed to write to this channel.</source>
        <translation>Vous n’êtes pas autorisé à écrire dans ce canal.</translation>
    </message>
    <message>
        <source>The attached files are no longer on the server. Attach them again.</source>
        <translation>Les fichiers joints ne sont plus sur le serveur. Joignez-les à nouveau.</translation>
    </message>
    <message>
        <source>This account is connected from too many places at once. Close Natter where you no longer use it.</source>
        <translation>Ce compte est connecté depuis trop d’endroits à la fois. Fermez Natter là où vous ne l’utilisez plus.</translation>
    </message>
    <message>
        <source>The server did not receive the sign-in in time.</source>
        <translation>Le serveur n’a pas reçu la connexion à temps.</translation>
    </message>
    <message>
        <source>The server refused what this app sent and closed the connection.</source>
        <translation>Le serveur a refusé ce que cette application a envoyé et a fermé la connexion.</translation>
    </message>
    <message>
        <source>The server refused the connection.</source>
        <translation>Le serveur a refusé la connexion.</translation>
    </message>
    <message>
        <source>The server does not accept connections from %1. Its operator can allow that origin (allow_origin).</source>
        <extracomment>%1: the origin Natter sent, e.g. https://chat.example.org</extracomment>
        <translation>Le serveur n’accepte pas les connexions depuis %1. Son administrateur peut autoriser cette origine (allow_origin).</translation>
    </message>
    <message>
        <source>The server has too many connections from this address right now.</source>
        <translation>Le serveur a trop de connexions depuis cette adresse en ce moment.</translation>
    </message>
    <message>
        <source>The server is busy or starting up.</source>
        <translation>Le serveur est occupé ou en cours de démarrage.</translation>
    </message>
    <message>
        <source>The server refused the connection (HTTP status %1).</source>
        <extracomment>%1: an HTTP status code, e.g. 404</extracomment>
        <translation>Le serveur a refusé la connexion (statut HTTP %1).</translation>
    </message>
    <message>
        <source>This account connected too often in a short time; waiting before reconnecting.</source>
        <translation>Ce compte s’est connecté trop souvent en peu de temps&#xa0;; attente avant de se reconnecter.</translation>
    </message>
</context>
<context>
    <name>Natter::CreateChannelDialog</name>
    <message>
        <source>&amp;Public: anyone can find and join it</source>
        <translation>&amp;Public&#xa0;: tout le monde peut le trouver et le rejoindre</translation>
    </message>
    <message>
        <source>P&amp;rivate: only the people invited see it</source>
        <translation>P&amp;rivé&#xa0;: seules les personnes invitées le voient</translation>
    </message>
    <message>
        <source>Create channel</source>
        <translation>Créer un canal</translation>
    </message>
    <message>
        <source>Channel name</source>
        <translation>Nom du canal</translation>
    </message>
    <message>
        <source>e.g. design-review</source>
        <translation>p. ex. design-review</translation>
    </message>
    <message>
        <source>Channel name check</source>
        <translation>Vérification du nom du canal</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Créer</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Topic:</source>
        <translation>&amp;Sujet&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Members:</source>
        <translation>&amp;Membres&#xa0;:</translation>
    </message>
    <message>
        <source>A channel needs a name.</source>
        <translation>Un canal doit avoir un nom.</translation>
    </message>
    <message>
        <source>Use lower-case letters only.</source>
        <translation>Utilisez uniquement des lettres minuscules.</translation>
    </message>
    <message>
        <source>Start with a letter or a digit.</source>
        <translation>Commencez par une lettre ou un chiffre.</translation>
    </message>
    <message>
        <source>Use only letters a–z, digits, “-” and “_” (no spaces).</source>
        <translation>Utilisez uniquement les lettres a–z, des chiffres, « - » et « _ » (sans espaces).</translation>
    </message>
    <message>
        <source>“%1” is a good name.</source>
        <translation>« %1 » est un bon nom.</translation>
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
        <translation>Ouvrir</translation>
    </message>
</context>
<context>
    <name>Natter::DirectoryClient</name>
    <message>
        <source>The server no longer accepts this login.</source>
        <translation>Le serveur n’accepte plus cette connexion.</translation>
    </message>
    <message>
        <source>The server cannot be reached.</source>
        <translation>Le serveur est injoignable.</translation>
    </message>
    <message>
        <source>The server could not search (HTTP %1).</source>
        <translation>Le serveur n’a pas pu effectuer la recherche (HTTP %1).</translation>
    </message>
</context>
<context>
    <name>Natter::EditBar</name>
    <message>
        <source>Editing message — Esc to cancel</source>
        <translation>Modification du message — Échap pour annuler</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <extracomment>Button on the bar above the composer while a message is being edited.</extracomment>
        <translation>Annuler la modification</translation>
    </message>
    <message>
        <source>Stop editing and keep the message as it was</source>
        <translation>Arrêter la modification et garder le message tel quel</translation>
    </message>
</context>
<context>
    <name>Natter::EditChannelDialog</name>
    <message>
        <source>Edit channel</source>
        <translation>Modifier le canal</translation>
    </message>
    <message>
        <source>Channel name</source>
        <translation>Nom du canal</translation>
    </message>
    <message>
        <source>Channel name check</source>
        <translation>Vérification du nom du canal</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Topic:</source>
        <translation>&amp;Sujet&#xa0;:</translation>
    </message>
</context>
<context>
    <name>Natter::FileDownloader</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d’écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>You are not signed in.</source>
        <translation>Vous n’êtes pas connecté.</translation>
    </message>
    <message>
        <source>The server sent a picture that is far too large.</source>
        <translation>Le serveur a envoyé une image bien trop volumineuse.</translation>
    </message>
    <message>
        <source>The server sent parts of the file that do not fit together.</source>
        <translation>Le serveur a envoyé des parties du fichier qui ne concordent pas.</translation>
    </message>
    <message>
        <source>The server ended the session. Sign in again to download.</source>
        <translation>Le serveur a mis fin à la session. Reconnectez-vous pour télécharger.</translation>
    </message>
    <message>
        <source>This file is no longer there, or you do not have access to it.</source>
        <translation>Ce fichier n’existe plus, ou vous n’y avez pas accès.</translation>
    </message>
    <message>
        <source>Cannot reach the server: %1</source>
        <translation>Impossible de joindre le serveur&#xa0;: %1</translation>
    </message>
    <message>
        <source>The download was interrupted (%1). Try again to continue where it stopped.</source>
        <translation>Le téléchargement a été interrompu (%1). Réessayez pour reprendre là où il s’est arrêté.</translation>
    </message>
    <message>
        <source>The server could not send the file (HTTP %1).</source>
        <translation>Le serveur n’a pas pu envoyer le fichier (HTTP %1).</translation>
    </message>
    <message>
        <source>The server sent %1 bytes of a file of %2 bytes.</source>
        <translation>Le serveur a envoyé %1 octets d’un fichier de %2 octets.</translation>
    </message>
    <message>
        <source>Cannot replace %1.</source>
        <translation>Impossible de remplacer %1.</translation>
    </message>
    <message>
        <source>The server ended the session: %1</source>
        <translation>Le serveur a mis fin à la session&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Natter::FileUploader</name>
    <message>
        <source>Cannot read the file “%1”.</source>
        <translation>Impossible de lire le fichier « %1 ».</translation>
    </message>
    <message>
        <source>You are not signed in.</source>
        <translation>Vous n’êtes pas connecté.</translation>
    </message>
    <message>
        <source>Cannot read the file “%1”: %2</source>
        <translation>Impossible de lire le fichier « %1 »&#xa0;: %2</translation>
    </message>
    <message>
        <source>The server ended the session (%1). Sign in again.</source>
        <translation>Le serveur a mis fin à la session (%1). Reconnectez-vous.</translation>
    </message>
    <message>
        <source>The server&apos;s answer to the upload of “%1” was not understood.</source>
        <translation>La réponse du serveur au téléversement de « %1 » n’a pas été comprise.</translation>
    </message>
    <message>
        <source>“%1” is too large: this server takes files of up to %2 MB.</source>
        <translation>« %1 » est trop volumineux&#xa0;: ce serveur accepte les fichiers jusqu’à %2 Mo.</translation>
    </message>
    <message>
        <source>“%1” is too large for this server.</source>
        <translation>« %1 » est trop volumineux pour ce serveur.</translation>
    </message>
    <message>
        <source>This server does not take files like “%1”.</source>
        <translation>Ce serveur n’accepte pas les fichiers comme « %1 ».</translation>
    </message>
    <message>
        <source>The server has no space left for “%1”.</source>
        <translation>Le serveur n’a plus de place pour « %1 ».</translation>
    </message>
    <message numerus="yes">
        <source>Too many uploads at once: try “%1” again in %n second(s).</source>
        <translation>
            <numerusform>Trop de téléversements simultanés&#xa0;: réessayez « %1 » dans %n seconde.</numerusform>
            <numerusform>Trop de téléversements simultanés&#xa0;: réessayez « %1 » dans %n secondes.</numerusform>
        </translation>
    </message>
    <message>
        <source>This channel is archived: no new files can be shared in it.</source>
        <translation>Ce canal est archivé&#xa0;: on ne peut plus y partager de nouveaux fichiers.</translation>
    </message>
    <message>
        <source>You may not share files in this channel.</source>
        <translation>Vous n’êtes pas autorisé à partager des fichiers dans ce canal.</translation>
    </message>
    <message>
        <source>You cannot share files in this channel.</source>
        <translation>Vous ne pouvez pas partager de fichiers dans ce canal.</translation>
    </message>
    <message>
        <source>The server ended the session. Sign in again.</source>
        <translation>Le serveur a mis fin à la session. Reconnectez-vous.</translation>
    </message>
    <message>
        <source>The upload of “%1” failed: cannot reach the server (%2).</source>
        <translation>Le téléversement de « %1 » a échoué&#xa0;: impossible de joindre le serveur (%2).</translation>
    </message>
    <message>
        <source>The server could not take “%1” (HTTP %2).</source>
        <translation>Le serveur n’a pas pu accepter « %1 » (HTTP %2).</translation>
    </message>
    <message>
        <source>“%1” is larger than the %2 MB of files this server keeps for you.</source>
        <translation>« %1 » dépasse les %2 Mo de fichiers que ce serveur conserve pour vous.</translation>
    </message>
    <message>
        <source>“%1” does not fit in the %2 MB of files this server keeps for you (%3 MB taken). Deleting your messages with files frees their space; files uploaded but never sent are freed after a day.</source>
        <translation>« %1 » ne tient pas dans les %2 Mo de fichiers que ce serveur conserve pour vous (%3 Mo utilisés). Supprimer vos messages avec des fichiers libère leur place&#xa0;; les fichiers téléversés mais jamais envoyés sont libérés au bout d’un jour.</translation>
    </message>
</context>
<context>
    <name>Natter::ImageViewer</name>
    <message>
        <source>%1 – Natter</source>
        <extracomment>Title of the window showing a picture; %1 its file name.</extracomment>
        <translation>%1 — Natter</translation>
    </message>
    <message>
        <source>Picture %1</source>
        <extracomment>Accessible name of the picture viewer; %1 the file name.</extracomment>
        <translation>Image %1</translation>
    </message>
    <message>
        <source>Loading the picture…</source>
        <translation>Chargement de l’image…</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Enregistrer…</translation>
    </message>
    <message>
        <source>Save the picture (Ctrl+S)</source>
        <translation>Enregistrer l’image (Ctrl+S)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Fermer (Échap)</translation>
    </message>
    <message>
        <source>This file is not a picture Natter can show. Save it to open it elsewhere.</source>
        <translation>Ce fichier n’est pas une image que Natter peut afficher. Enregistrez-le pour l’ouvrir ailleurs.</translation>
    </message>
    <message>
        <source>This picture is too large to show here (%1×%2). Save it to open it elsewhere.</source>
        <translation>Cette image est trop grande pour être affichée ici (%1×%2). Enregistrez-la pour l’ouvrir ailleurs.</translation>
    </message>
    <message>
        <source>This picture cannot be shown: %1</source>
        <translation>Impossible d’afficher cette image&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 × %2 pixels</source>
        <extracomment>Under the picture; %1 width, %2 height in pixels.</extracomment>
        <translation>%1 × %2 pixels</translation>
    </message>
    <message>
        <source>Picture area</source>
        <extracomment>Accessible name of the scrollable area holding the picture.</extracomment>
        <translation>Zone de l’image</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <extracomment>Button of the picture viewer.</extracomment>
        <translation>Zoom a&amp;rrière</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>Zoom arrière (Ctrl+-)</translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <extracomment>Button of the picture viewer: show the whole picture in the window.</extracomment>
        <translation>&amp;Ajuster</translation>
    </message>
    <message>
        <source>Fit to the window (Ctrl+0)</source>
        <translation>Ajuster à la fenêtre (Ctrl+0)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <extracomment>Button of the picture viewer.</extracomment>
        <translation>Zoom a&amp;vant</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>Zoom avant (Ctrl++)</translation>
    </message>
    <message>
        <source>%1 × %2 pixels, zoom %3 %</source>
        <extracomment>Under the zoomed picture; %1 width, %2 height in pixels, %3 the zoom in percent.</extracomment>
        <translation>%1 × %2 pixels, zoom %3&#xa0;%</translation>
    </message>
</context>
<context>
    <name>Natter::InviteDialog</name>
    <message>
        <source>Invite people to #%1</source>
        <extracomment>%1 is a channel name</extracomment>
        <translation>Inviter des personnes dans #%1</translation>
    </message>
    <message>
        <source>&amp;Invite</source>
        <translation>&amp;Inviter</translation>
    </message>
</context>
<context>
    <name>Natter::LoginDialog</name>
    <message>
        <source>Sign in to Natter</source>
        <translation>Se connecter à Natter</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Avis</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <source>For example https://chat.example.org</source>
        <translation>Par exemple https://chat.example.org</translation>
    </message>
    <message>
        <source>https://chat.example.org</source>
        <translation>https://chat.example.org</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nom d’utilisateur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>&amp;Stay signed in</source>
        <translation>Rester co&amp;nnecté</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Rester connecté</translation>
    </message>
    <message>
        <source>Keep the sign-in in the system keychain so Natter opens without asking next time</source>
        <translation>Garder la connexion dans le trousseau du système pour que Natter s’ouvre sans rien demander la prochaine fois</translation>
    </message>
    <message>
        <source>Sign-in error</source>
        <translation>Erreur de connexion</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Connexion en cours…</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Signing in</source>
        <translation>Connexion en cours</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Se&amp;rver:</source>
        <translation>Se&amp;rveur&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>Nom d’&amp;utilisateur&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>Mot de &amp;passe&#xa0;:</translation>
    </message>
    <message>
        <source>Enter your username.</source>
        <translation>Saisissez votre nom d’utilisateur.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Saisissez votre mot de passe.</translation>
    </message>
</context>
<context>
    <name>Natter::MembersPanel</name>
    <message>
        <source>Members</source>
        <translation>Membres</translation>
    </message>
    <message>
        <source>Members of this channel</source>
        <translation>Membres de ce canal</translation>
    </message>
    <message>
        <source>Enter opens a direct conversation with the person</source>
        <translation>Enter ouvre une conversation directe avec la personne</translation>
    </message>
    <message>
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <source>away</source>
        <translation>absent</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <extracomment>%1 is a date and time</extracomment>
        <translation>vu pour la dernière fois %1</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (vous)</translation>
    </message>
    <message>
        <source>%1 · owner</source>
        <translation>%1 · propriétaire</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Message</translation>
    </message>
    <message>
        <source>Actions for %1</source>
        <extracomment>Accessible name of a member&apos;s context menu; %1 is the person&apos;s name</extracomment>
        <translation>Actions pour %1</translation>
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
        <translation>Le message a été supprimé, la modification n’a donc pas été enregistrée.</translation>
    </message>
    <message>
        <source>Edit cancelled.</source>
        <translation>Modification annulée.</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Supprimer le message</translation>
    </message>
    <message>
        <source>Delete this message for everyone? This cannot be undone.</source>
        <translation>Supprimer ce message pour tout le monde&#xa0;? Cette action est irréversible.</translation>
    </message>
    <message>
        <source>Delete this message by %1 for everyone? This cannot be undone.</source>
        <translation>Supprimer ce message de %1 pour tout le monde&#xa0;? Cette action est irréversible.</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>The message you were editing was deleted.</source>
        <translation>Le message que vous modifiiez a été supprimé.</translation>
    </message>
    <message>
        <source>The message was deleted, so the change was not saved. What you wrote is kept in the message box.</source>
        <translation>Le message a été supprimé, la modification n’a donc pas été enregistrée. Votre texte est conservé dans la zone de saisie.</translation>
    </message>
    <message>
        <source>The message you were editing was deleted. What you wrote is kept in the message box.</source>
        <translation>Le message que vous modifiiez a été supprimé. Votre texte est conservé dans la zone de saisie.</translation>
    </message>
    <message>
        <source>A message is waiting to be sent; edit once it has gone.</source>
        <translation>Un message attend d’être envoyé&#xa0;; modifiez une fois qu’il sera parti.</translation>
    </message>
</context>
<context>
    <name>Natter::MessageDelegate</name>
    <message>
        <source>Some earlier messages are not loaded yet — scroll up to load them</source>
        <translation>Des messages plus anciens ne sont pas encore chargés — faites défiler vers le haut pour les charger</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <source>✓ Sent</source>
        <extracomment>Delivery state of a message the server has stored.</extracomment>
        <translation>✓ Envoyé</translation>
    </message>
    <message>
        <source>⚠ Not sent</source>
        <translation>⚠ Non envoyé</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Texte du message</translation>
    </message>
    <message>
        <source>(edited)</source>
        <extracomment>Shown after the text of a message that was changed after it was sent.</extracomment>
        <translation>(modifié)</translation>
    </message>
    <message>
        <source>Message deleted</source>
        <extracomment>Shown in place of a message that was deleted.</extracomment>
        <translation>Message supprimé</translation>
    </message>
    <message>
        <source>%1 reacted with %2</source>
        <extracomment>Tooltip of a reaction under a message; %1 who reacted (a list), %2 the emoji.</extracomment>
        <translation>Réaction %2 de %1</translation>
    </message>
    <message>
        <source>%1: deleted</source>
        <extracomment>The quote of a reply whose target was deleted; %1 its author.</extracomment>
        <translation>%1 : supprimé</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>The quote of a reply; %1 the author of the message answered, %2 its start.</extracomment>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>Natter::MessageToolbar</name>
    <message>
        <source>Add reaction</source>
        <translation>Ajouter une réaction</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Suppr</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>Tooltip of a message toolbar button: the action, then its key.</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Actions for the message from %1</source>
        <translation>Actions pour le message de %1</translation>
    </message>
</context>
<context>
    <name>Natter::MessageViewModel</name>
    <message>
        <source>Edited %1</source>
        <extracomment>Tooltip of an edited message; %1 is the date and time of the last edit.</extracomment>
        <translation>Modifié le %1</translation>
    </message>
    <message>
        <source>%1, %2: message deleted</source>
        <extracomment>Screen-reader text of a deleted message; %1 author, %2 time it was sent.</extracomment>
        <translation>%1, %2&#xa0;: message supprimé</translation>
    </message>
    <message>
        <source>%1, %2: %3 (edited)</source>
        <extracomment>Screen-reader text of an edited message; %1 author, %2 time, %3 its text.</extracomment>
        <translation>%1, %2&#xa0;: %3 (modifié)</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <extracomment>Screen-reader text of a message; %1 author, %2 time, %3 its text.</extracomment>
        <translation>%1, %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>This message was deleted.</source>
        <translation>Ce message a été supprimé.</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n, including you</source>
        <translation>
            <numerusform>%1 : %n, dont vous</numerusform>
            <numerusform>%1 : %n, dont vous</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n</source>
        <translation>
            <numerusform>%1 : %n</numerusform>
            <numerusform>%1 : %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Reactions: %1.</source>
        <extracomment>Screen-reader description of a message&apos;s reactions; %1 the list.</extracomment>
        <translation>Réactions : %1.</translation>
    </message>
    <message>
        <source>In reply to a deleted message by %1.</source>
        <translation>En réponse à un message supprimé de %1.</translation>
    </message>
    <message>
        <source>In reply to %1: %2.</source>
        <translation>En réponse à %1 : %2.</translation>
    </message>
    <message>
        <source>Sending.</source>
        <extracomment>Screen-reader description of our message on its way to the server.</extracomment>
        <translation>Envoi en cours.</translation>
    </message>
    <message>
        <source>Not sent.</source>
        <translation>Non envoyé.</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Non envoyé : %1</translation>
    </message>
</context>
<context>
    <name>Natter::NotifyLevelMenu</name>
    <message>
        <source>&amp;Notifications</source>
        <translation>&amp;Notifications</translation>
    </message>
    <message>
        <source>&amp;All messages</source>
        <translation>&amp;Tous les messages</translation>
    </message>
    <message>
        <source>Notify me about every new message in this channel</source>
        <translation>Me notifier à chaque nouveau message dans ce canal</translation>
    </message>
    <message>
        <source>Only &amp;mentions</source>
        <translation>Seulement les &amp;mentions</translation>
    </message>
    <message>
        <source>Notify me only when someone mentions me here</source>
        <translation>Me notifier seulement quand quelqu’un me mentionne ici</translation>
    </message>
    <message>
        <source>N&amp;othing</source>
        <translation>&amp;Rien</translation>
    </message>
    <message>
        <source>Never notify me about this channel; its badge stays quiet</source>
        <translation>Ne jamais me notifier pour ce canal&#xa0;; son badge reste discret</translation>
    </message>
</context>
<context>
    <name>Natter::PeoplePicker</name>
    <message>
        <source>Search people by name</source>
        <translation>Rechercher des personnes par nom</translation>
    </message>
    <message>
        <source>Search people</source>
        <translation>Rechercher des personnes</translation>
    </message>
    <message>
        <source>People found; tick the ones to add</source>
        <translation>Personnes trouvées&#xa0;; cochez celles à ajouter</translation>
    </message>
    <message>
        <source>People chosen</source>
        <translation>Personnes choisies</translation>
    </message>
    <message>
        <source>Chosen: %1</source>
        <translation>Choisies&#xa0;: %1</translation>
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
        <translation>Aller à…</translation>
    </message>
    <message>
        <source>Channel or person</source>
        <translation>Canal ou personne</translation>
    </message>
    <message>
        <source>Find a channel or person</source>
        <translation>Trouver un canal ou une personne</translation>
    </message>
    <message>
        <source>New direct message</source>
        <translation>Nouveau message direct</translation>
    </message>
    <message>
        <source>Matching people</source>
        <translation>Personnes correspondantes</translation>
    </message>
    <message>
        <source>Matching channels and people</source>
        <translation>Canaux et personnes correspondants</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Personne</translation>
    </message>
    <message>
        <source>Find a person</source>
        <translation>Trouver une personne</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 — direct message</source>
        <extracomment>A person in the quick switcher: Enter opens a direct conversation.</extracomment>
        <translation>%1 — message direct</translation>
    </message>
</context>
<context>
    <name>Natter::ReactionPicker</name>
    <message>
        <source>Add reaction</source>
        <translation>Ajouter une réaction</translation>
    </message>
    <message>
        <source>&amp;Search by name:</source>
        <translation>&amp;Rechercher par nom&#xa0;:</translation>
    </message>
    <message>
        <source>thumbs, heart, party…</source>
        <translation>pouce, cœur, fête…</translation>
    </message>
    <message>
        <source>Search emoji by name</source>
        <translation>Rechercher un emoji par nom</translation>
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
        <translation>Annuler la réponse</translation>
    </message>
    <message>
        <source>Send the message as a normal message, not a reply</source>
        <translation>Envoyer le message comme un message normal, pas comme une réponse</translation>
    </message>
    <message>
        <source>Replying to %1: %2</source>
        <extracomment>Bar above the composer; %1 the author of the message answered, %2 its start.</extracomment>
        <translation>Réponse à %1 : %2</translation>
    </message>
</context>
<context>
    <name>Natter::SearchClient</name>
    <message>
        <source>You are not signed in.</source>
        <translation>Vous n’êtes pas connecté.</translation>
    </message>
    <message>
        <source>The server ended the session: %1</source>
        <translation>Le serveur a mis fin à la session&#xa0;: %1</translation>
    </message>
    <message>
        <source>The server did not understand this search. Use words, &quot;phrases&quot;, -word, word*, from:user, in:channel, before:YYYY-MM-DD, after:YYYY-MM-DD, has:file or has:link.</source>
        <translation>Le serveur n’a pas compris cette recherche. Utilisez des mots, &quot;des phrases&quot;, -mot, mot*, from:user, in:channel, before:YYYY-MM-DD, after:YYYY-MM-DD, has:file ou has:link.</translation>
    </message>
    <message>
        <source>The server ended the session.</source>
        <translation>Le serveur a mis fin à la session.</translation>
    </message>
    <message>
        <source>Cannot reach the server: %1</source>
        <translation>Impossible de joindre le serveur&#xa0;: %1</translation>
    </message>
    <message>
        <source>The server could not search now (HTTP %1).</source>
        <translation>Le serveur n’a pas pu effectuer la recherche pour l’instant (HTTP %1).</translation>
    </message>
    <message numerus="yes">
        <source>The server is busy. Search again in %n s.</source>
        <translation>
            <numerusform>Le serveur est occupé. Relancez la recherche dans %n s.</numerusform>
            <numerusform>Le serveur est occupé. Relancez la recherche dans %n s.</numerusform>
        </translation>
    </message>
    <message>
        <source>The search has too many words ending in *: use at most 8.</source>
        <translation>La recherche contient trop de mots terminés par *&#xa0;: utilisez-en 8 au plus.</translation>
    </message>
    <message>
        <source>The search has too many words: use at most 32.</source>
        <translation>La recherche contient trop de mots&#xa0;: utilisez-en 32 au plus.</translation>
    </message>
    <message>
        <source>The search is too long: use at most 1,000 characters.</source>
        <translation>La recherche est trop longue&#xa0;: utilisez au plus 1&#xa0;000 caractères.</translation>
    </message>
</context>
<context>
    <name>Natter::SearchCompleter</name>
    <message>
        <source>Filter suggestions</source>
        <translation>Suggestions de filtres</translation>
    </message>
    <message>
        <source>Up and Down choose a suggestion, Enter or Tab puts it in the search, Esc closes the suggestions.</source>
        <translation>Haut et Bas choisissent une suggestion, Entrée ou Tab l’ajoute à la recherche, Échap ferme les suggestions.</translation>
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
        <translation>Plus de résultats</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>Rechercher dans les messages</translation>
    </message>
    <message>
        <source>Search: words, &quot;a phrase&quot;, pre*, -word, from:, in:</source>
        <translation>Recherche&#xa0;: mots, &quot;une phrase&quot;, début*, -mot, from:, in:</translation>
    </message>
    <message>
        <source>All words must match. &quot;a phrase&quot; matches exactly, pre* matches the start of a word, -word excludes a word. Filters: from:user, in:channel, before:YYYY-MM-DD, after:YYYY-MM-DD, has:file, has:link. Press Down to go to the results.</source>
        <translation>Tous les mots doivent correspondre. &quot;une phrase&quot; correspond exactement, début* correspond au début d’un mot, -mot exclut un mot. Filtres&#xa0;: from:user, in:channel, before:YYYY-MM-DD, after:YYYY-MM-DD, has:file, has:link. Appuyez sur Flèche bas pour aller aux résultats.</translation>
    </message>
    <message>
        <source>Search only the conversation that is open</source>
        <translation>Rechercher seulement dans la conversation ouverte</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>État de la recherche</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Résultats de la recherche</translation>
    </message>
    <message>
        <source>Newest first. Enter shows the message in its conversation; Esc closes the search.</source>
        <translation>Les plus récents en premier. Entrée affiche le message dans sa conversation&#xa0;; Échap ferme la recherche.</translation>
    </message>
    <message>
        <source>Load older results of this search</source>
        <translation>Charger des résultats plus anciens pour cette recherche</translation>
    </message>
    <message>
        <source>Only in #%1</source>
        <extracomment>A check box of the search panel; %1 is the open channel&apos;s name.</extracomment>
        <translation>Seulement dans #%1</translation>
    </message>
    <message>
        <source>Only in this conversation</source>
        <translation>Seulement dans cette conversation</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>Loading more results…</source>
        <translation>Chargement d’autres résultats…</translation>
    </message>
    <message>
        <source>another conversation</source>
        <translation>une autre conversation</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <extracomment>One search result&apos;s first line: channel, author, time.</extracomment>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>What a screen reader says for one search result: header, then the snippet.</extracomment>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>No messages match “%1”.</source>
        <extracomment>%1 is the query as typed.</extracomment>
        <translation>Aucun message ne correspond à « %1 ».</translation>
    </message>
    <message numerus="yes">
        <source>Results: %n</source>
        <translation>
            <numerusform>%n résultat</numerusform>
            <numerusform>%n résultats</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Results: %n so far; more are available.</source>
        <translation>
            <numerusform>%n résultat pour l’instant&#xa0;; d’autres sont disponibles.</numerusform>
            <numerusform>%n résultats pour l’instant&#xa0;; d’autres sont disponibles.</numerusform>
        </translation>
    </message>
    <message>
        <source>This search cannot be run. %1</source>
        <translation>Cette recherche ne peut pas être effectuée. %1</translation>
    </message>
    <message>
        <source>Offline: the server cannot be reached, so Natter cannot search now. It searches again once it is connected.</source>
        <translation>Hors ligne&#xa0;: le serveur est injoignable, Natter ne peut donc pas effectuer de recherche pour l’instant. La recherche sera relancée dès que la connexion sera rétablie.</translation>
    </message>
</context>
<context>
    <name>Natter::SettingsDialog</name>
    <message>
        <source>Show desktop &amp;notifications for new messages</source>
        <translation>Afficher des &amp;notifications de bureau pour les nouveaux messages</translation>
    </message>
    <message>
        <source>Show the message &amp;text in notifications</source>
        <translation>Afficher le &amp;texte du message dans les notifications</translation>
    </message>
    <message>
        <source>&amp;Keep running in the system tray when the window is closed</source>
        <translation>&amp;Continuer dans la zone de notification quand la fenêtre est fermée</translation>
    </message>
    <message>
        <source>Natter Settings</source>
        <translation>Paramètres de Natter</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <source>Per channel, the channel list&apos;s context menu chooses which messages notify</source>
        <translation>Pour chaque canal, le menu contextuel de la liste des canaux choisit quels messages notifient</translation>
    </message>
    <message>
        <source>When off, a notification says who wrote where, but not what</source>
        <translation>Désactivé, une notification indique qui a écrit où, mais pas quoi</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <source>Quit from the menu or the tray icon to end Natter</source>
        <translation>Quittez depuis le menu ou l’icône de la zone de notification pour fermer Natter</translation>
    </message>
    <message>
        <source>This desktop has no system tray</source>
        <translation>Ce bureau n’a pas de zone de notification</translation>
    </message>
    <message>
        <source>Play a &amp;sound</source>
        <translation>Jouer un &amp;son</translation>
    </message>
    <message>
        <source>Start &amp;minimised</source>
        <translation>Démarrer &amp;réduit</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>Notifications ask the desktop to play a sound</source>
        <translation>Les notifications demandent au bureau de jouer un son</translation>
    </message>
    <message>
        <source>Natter starts in the system tray, without its window</source>
        <translation>Natter démarre dans la zone de notification, sans sa fenêtre</translation>
    </message>
    <message>
        <source>Natter starts with its window minimised</source>
        <translation>Natter démarre avec sa fenêtre réduite</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <source>Signed in as:</source>
        <translation>Connecté en tant que&#xa0;:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Serveur&#xa0;:</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Signs out of this account and shows the sign-in</source>
        <translation>Déconnecte ce compte et affiche la connexion</translation>
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
        <translation>%1 écrit…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <extracomment>Two people typing, e.g. &quot;Alice and Bob are typing…&quot;</extracomment>
        <translation>%1 et %2 écrivent…</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <extracomment>Three or more people typing at once.</extracomment>
        <translation>Plusieurs personnes écrivent…</translation>
    </message>
</context>
<context>
    <name>Natter::UnreadMarker</name>
    <message>
        <source>New messages</source>
        <translation>Nouveaux messages</translation>
    </message>
    <message>
        <source>↑ Jump to first unread</source>
        <translation>↑ Aller au premier non lu</translation>
    </message>
    <message>
        <source>Jump to first unread</source>
        <translation>Aller au premier non lu</translation>
    </message>
    <message>
        <source>Scroll up to where the unread messages start (Shift+Esc)</source>
        <translation>Remonter jusqu’au début des messages non lus (Maj+Échap)</translation>
    </message>
</context>
<context>
    <name>ServerUrl</name>
    <message>
        <source>Enter the server address.</source>
        <translation>Saisissez l’adresse du serveur.</translation>
    </message>
    <message>
        <source>“%1” is not a server address. Example: https://chat.example.org</source>
        <translation>« %1 » n’est pas une adresse de serveur. Exemple&#xa0;: https://chat.example.org</translation>
    </message>
    <message>
        <source>The address must start with http://, https://, ws:// or wss://.</source>
        <translation>L’adresse doit commencer par http://, https://, ws:// ou wss://.</translation>
    </message>
    <message>
        <source>Remove the user name and password from the address; enter them below.</source>
        <translation>Retirez le nom d’utilisateur et le mot de passe de l’adresse&#xa0;; saisissez-les plus bas.</translation>
    </message>
</context>
<context>
    <name>SystemMessageText</name>
    <message>
        <source>%1 created #%2</source>
        <translation>%1 a créé #%2</translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation>%1 a rejoint le canal</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 a quitté le canal</translation>
    </message>
    <message>
        <source>%1 added %2</source>
        <translation>%1 a ajouté %2</translation>
    </message>
    <message>
        <source>%1 renamed the channel to #%2</source>
        <translation>%1 a renommé le canal en #%2</translation>
    </message>
    <message>
        <source>%1 cleared the topic</source>
        <translation>%1 a effacé le sujet</translation>
    </message>
    <message>
        <source>%1 set the topic: %2</source>
        <translation>%1 a défini le sujet : %2</translation>
    </message>
    <message>
        <source>%1 archived the channel</source>
        <translation>%1 a archivé le canal</translation>
    </message>
    <message>
        <source>%1 unarchived the channel</source>
        <translation>%1 a désarchivé le canal</translation>
    </message>
    <message>
        <source>%1 changed the channel</source>
        <translation>%1 a modifié le canal</translation>
    </message>
    <message>
        <source>An administrator</source>
        <translation>Un administrateur</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Natter desktop chat client</source>
        <translation>Natter, client de discussion pour le bureau</translation>
    </message>
    <message>
        <source>Use the profile &lt;name&gt; (separate settings, keychain entries and local data).</source>
        <translation>Utiliser le profil &lt;name&gt; (réglages, entrées du trousseau et données locales séparés).</translation>
    </message>
    <message>
        <source>Server address to suggest at sign-in.</source>
        <translation>Adresse de serveur proposée à la connexion.</translation>
    </message>
    <message>
        <source>Language of the interface, e.g. de or fr.</source>
        <translation>Langue de l’interface, p. ex. de ou fr.</translation>
    </message>
    <message>
        <source>Save a picture of the chat window to &lt;file&gt; once it has loaded.</source>
        <translation>Enregistrer une image de la fenêtre de discussion dans &lt;file&gt; une fois chargée.</translation>
    </message>
    <message>
        <source>Sign in as &lt;name&gt; at start (with --password-stdin).</source>
        <translation>Se connecter en tant que &lt;name&gt; au démarrage (avec --password-stdin).</translation>
    </message>
    <message>
        <source>Read the password for --user from the first line of standard input.</source>
        <translation>Lire le mot de passe pour --user sur la première ligne de l’entrée standard.</translation>
    </message>
    <message>
        <source>Invalid profile name: %1</source>
        <translation>Nom de profil invalide&#xa0;: %1</translation>
    </message>
</context>
</TS>
