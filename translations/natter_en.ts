<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Natter::AttachmentChip</name>
    <message numerus="yes">
        <source>Waiting for the server: the upload starts again in %n second(s).</source>
        <translation>
            <numerusform>Waiting for the server: the upload starts again in %n second.</numerusform>
            <numerusform>Waiting for the server: the upload starts again in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::AttachmentTray</name>
    <message numerus="yes">
        <source>A message can carry at most %n file(s).</source>
        <translation>
            <numerusform>A message can carry at most %n file.</numerusform>
            <numerusform>A message can carry at most %n files.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::AuthClient</name>
    <message numerus="yes">
        <source>Too many sign-in attempts. Please wait %n minute(s) before trying again.</source>
        <translation>
            <numerusform>Too many sign-in attempts. Please wait %n minute before trying again.</numerusform>
            <numerusform>Too many sign-in attempts. Please wait %n minutes before trying again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many sign-in attempts. Please wait %n second(s) before trying again.</source>
        <translation>
            <numerusform>Too many sign-in attempts. Please wait %n second before trying again.</numerusform>
            <numerusform>Too many sign-in attempts. Please wait %n seconds before trying again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::ChannelDelegate</name>
    <message numerus="yes">
        <source>Unread: %n</source>
        <translation>
            <numerusform>Unread: %n</numerusform>
            <numerusform>Unread: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mentions of you: %n</source>
        <translation>
            <numerusform>Mentions of you: %n</numerusform>
            <numerusform>Mentions of you: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::ChannelNotifications</name>
    <message numerus="yes">
        <source>%n new messages in %1</source>
        <extracomment>A desktop notification&apos;s title: how many new messages in channel %1.</extracomment>
        <translation>
            <numerusform>%n new message in %1</numerusform>
            <numerusform>%n new messages in %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::ChatWindow</name>
    <message numerus="yes">
        <source>New messages: %n. Shift+Esc jumps to the first.</source>
        <extracomment>Said to screen readers when a channel with unread messages opens (the &quot;New messages&quot; line); %n how many. Shift+Esc is the jump&apos;s shortcut.</extracomment>
        <translation>
            <numerusform>New messages: %n. Shift+Esc jumps to the first.</numerusform>
            <numerusform>New messages: %n. Shift+Esc jumps to the first.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 — reconnecting in %n s</source>
        <translation>
            <numerusform>%1 — reconnecting in %n s</numerusform>
            <numerusform>%1 — reconnecting in %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Natter — %n unread</source>
        <translation>
            <numerusform>Natter — %n unread</numerusform>
            <numerusform>Natter — %n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>@channel notifies all %n other members of #%1.</source>
        <translation>
            <numerusform>@channel notifies the %n other member of #%1.</numerusform>
            <numerusform>@channel notifies all %n other members of #%1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::FileUploader</name>
    <message numerus="yes">
        <source>Too many uploads at once: try “%1” again in %n second(s).</source>
        <translation>
            <numerusform>Too many uploads at once: try “%1” again in %n second.</numerusform>
            <numerusform>Too many uploads at once: try “%1” again in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::MessageViewModel</name>
    <message numerus="yes">
        <source>%1: %n, including you</source>
        <translation>
            <numerusform>%1: %n, including you</numerusform>
            <numerusform>%1: %n, including you</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n</source>
        <translation>
            <numerusform>%1: %n</numerusform>
            <numerusform>%1: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::SearchClient</name>
    <message numerus="yes">
        <source>The server is busy. Search again in %n s.</source>
        <translation>
            <numerusform>The server is busy. Search again in %n s.</numerusform>
            <numerusform>The server is busy. Search again in %n s.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Natter::SearchPanel</name>
    <message numerus="yes">
        <source>Results: %n</source>
        <translation>
            <numerusform>Results: %n</numerusform>
            <numerusform>Results: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Results: %n so far; more are available.</source>
        <translation>
            <numerusform>Results: %n so far; more are available.</numerusform>
            <numerusform>Results: %n so far; more are available.</numerusform>
        </translation>
    </message>
</context>
</TS>
