// The main window: channels on the left, the open conversation on the right,
// the connection state at the bottom. Shows ChatSession's models and forwards
// what the person does to it; it never touches a socket or JSON.
#pragma once

#include "net/ConnectionManager.h"

#include <QHash>
#include <QMainWindow>
#include <QPersistentModelIndex>
#include <QTimer>

class QLabel;
class QListView;
class QMenu;
class QPushButton;
class QSystemTrayIcon;

namespace Natter {

class Announcer;
class AttachmentTray;
class AttachmentController;
class ChannelActions;
class ChatSession;
class Composer;
class DesktopNotifier;
class EditBar;
class MentionCandidates;
class MessageActions;
class MessageDelegate;
class MessageToolbar;
class MessageListModel;
class MessageViewModel;
class NotifyLevelMenu;
class ReplyBar;
class SearchPanel;
class UnreadMarker;

class ChatWindow : public QMainWindow
{
    Q_OBJECT
public:
    // `notifier` shows desktop notifications (may be null: none); not owned.
    explicit ChatWindow(ChatSession *session, DesktopNotifier *notifier = nullptr,
                        QWidget *parent = nullptr);
    ~ChatWindow() override;

    QString currentChannel() const { return m_current; }
    void openChannel(const QString &channelId);
    // The text the status bar shows for the connection right now.
    QString connectionText() const;
    // What the typing line above the composer says right now.
    QString typingText() const;
    QListView *messageView() const { return m_messageView; }
    ReplyBar *replyBar() const { return m_replyBar; }
    QListView *channelView() const { return m_channelView; }
    Composer *composer() const { return m_composer; }
    // §9: the files waiting to go with the next message.
    AttachmentTray *attachmentTray() const { return m_attachmentTray; }
    EditBar *editBar() const { return m_editBar; }
    MessageActions *messageActions() const { return m_actions; }
    MessageToolbar *messageToolbar() const { return m_toolbar; }
    // §9: opening and saving the files of messages, and their thumbnails.
    AttachmentController *attachments() const { return m_attachments; }
    // "Loading messages…" while the open channel reloads after a resync (§6).
    QLabel *loadingLabel() const { return m_loadingLabel; }
    // §8: the Conversations menu, its dialogs, the topic/archived bar, members panel.
    ChannelActions *channelActions() const { return m_channelActions; }
    // The menu bar's notification level (§8) of the open channel.
    NotifyLevelMenu *notifyLevelMenu() const { return m_notifyMenu; }
    // The "New messages" line and the jump to the first unread message.
    UnreadMarker *unreadMarker() const { return m_unread; }
    // Closing the window hides it and Natter keeps running in the tray (only
    // where a tray icon is shown; otherwise closing closes).
    void setCloseToTray(bool on) { m_closeToTray = on; }
    bool closesToTray() const;
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    // Ctrl+F: the search panel (§10).
    SearchPanel *searchPanel() const { return m_search; }
    // Opens `channelId` and shows message `messageId` there, highlighted; older
    // pages load first when it is not loaded (a search result).
    void showMessage(const QString &channelId, const QString &messageId);

Q_SIGNALS:
    // The person asked to sign out (menu) — the composition root ends the session.
    void logoutRequested();
    // The person picked an interface language ("" = the system's); the
    // composition root applies it at once by building the window again.
    void languageChosen(const QString &code);
    // The person asked for the Settings dialog (menu, Ctrl+,).
    void settingsRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void buildActions();
    void sendDraft();
    // Keeps what is typed (not an edit) for the current channel in the session's
    // store, so a restart or a crash does not lose it.
    void keepDraft();
    // `text` after the stored draft of `channelId` (not the open composer's).
    void addToDraft(const QString &channelId, const QString &text);
    void onActionFailed(const QString &channelId, const QString &explanation,
                        const QString &unsavedText);
    // A send waits (for its uploads, or for "Notify everyone?"): the composer's
    // text is what goes, so nothing may be added to it meanwhile.
    bool sendIsWaiting() const;
    // Puts text kept while a send waited into the composer, once none waits.
    void flushUnsaved();
    // Opens a selectable view of one message's text (double-click); closes the previous one.
    void openMessageText(const QModelIndex &index);
    void onMessagesInserted(const QModelIndex &parent, int first, int last);
    void onMessageChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void onChannelLeft(const QString &channelId, const QString &name);
    void updateConnectionStatus();
    void updateTypingLine(const QString &channelId);
    void updateHeader();
    void updateTitle();
    void maybeMarkRead();
    bool isAtBottom() const;
    void scrollToBottom();
    void moveChannel(int delta);
    void showMessageMenu(const QPoint &pos);
    // The React submenu: frequent emoji and the message's reactions, mine checked.
    void addReactionMenu(QMenu *menu, const QModelIndex &idx);
    bool canReply(const QModelIndex &idx) const;
    // Shows the ReplyBar for the message at `idx` and focuses the composer.
    void beginReply(const QModelIndex &idx);
    // Scrolls to message `messageId` of the open channel and highlights it briefly.
    void jumpToMessage(const QString &messageId);
    void onMessageDeleted(const QString &channelId, const QString &messageId);
    void updateReloading();
    // Shows `text` in the status bar and has screen readers say it.
    void announce(const QString &text);
    // Settings…, About, and the tray icon's menu.
    void buildAppActions(QMenu *appMenu);
    void showFromTray();
    // `@` completion over the open channel's members (MentionCandidates).
    void setUpMentionCompletion();
    void updateMentionCandidates();
    // `@channel` in a channel of more than kQuietChannelMembers asks first
    // (issue 13): true when it asked, and sendDraft() runs again on "Notify".
    bool askBeforeNotifyingEveryone(const QString &text);
    static constexpr int kQuietChannelMembers = 5;
    // The hover/keyboard toolbar over messages and the "Add reaction" picker.
    void setUpMessageToolbar();
    bool canReact(const QModelIndex &idx) const;
    QStringList frequentEmoji() const;
    void openReactionPicker(const QModelIndex &idx);
    // A quote's target not loaded yet: fetch older pages until it is, then jump.
    void loadOlderUntil(const QString &messageId);
    void continuePendingJump();
    void loadOlderAtTop();
    // The search panel, its menu entry and shortcut.
    void setUpSearch(QMenu *menu);

    ChatSession *m_session;
    DesktopNotifier *m_notifier;
    QListView *m_channelView = nullptr;
    QListView *m_messageView = nullptr;
    MessageDelegate *m_messageDelegate = nullptr;
    AttachmentController *m_attachments = nullptr;
    MessageViewModel *m_viewModel = nullptr;
    QLabel *m_loadingLabel = nullptr;
    EditBar *m_editBar = nullptr;
    MessageActions *m_actions = nullptr;
    QLabel *m_header = nullptr;
    QLabel *m_members = nullptr;
    QLabel *m_typingLabel = nullptr;
    Composer *m_composer = nullptr;
    AttachmentTray *m_attachmentTray = nullptr;
    QLabel *m_statusLabel = nullptr;
    QPushButton *m_reconnectButton = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    Announcer *m_announcer = nullptr; // what screen readers say (a notification)
    // The connection state screen readers were last told of (see updateConnectionStatus).
    ConnectionManager::State m_toldState = ConnectionManager::State::Connected;
    QTimer m_countdown;
    QString m_current;
    MessageListModel *m_currentModel = nullptr;
    ReplyBar *m_replyBar = nullptr;
    QTimer m_draftTimer; // keepDraft() a moment after the typing stops
    bool m_stickToBottom = true;
    QPersistentModelIndex m_textIndex;
    ChannelActions *m_channelActions = nullptr; // §8 menu, dialogs, topic, members panel
    NotifyLevelMenu *m_notifyMenu = nullptr;
    UnreadMarker *m_unread = nullptr;
    bool m_closeToTray = false;
    MentionCandidates *m_mentionCandidates = nullptr;
    bool m_everyoneConfirmed = false; // the next sendDraft() was confirmed
    bool m_askingEveryone = false; // "Notify everyone?" is open
    QString m_unsavedLater; // a refused edit's text, kept while a send waits
    QString m_currentName; // the open channel's name, for when it has gone
    MessageToolbar *m_toolbar = nullptr;
    QHash<QString, int> m_reactionUse; // emoji picked in this session → how often
    QString m_pendingJump; // message id to jump to once its page is loaded
    QString m_pendingJumpChannel;
    SearchPanel *m_search = nullptr;
    bool m_jumpFromSearch = false; // showMessage() is jumping (not a quote)
    bool m_pendingJumpFromSearch = false; // the pending jump is to a search result
};

} // namespace Natter
