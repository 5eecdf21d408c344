#include "ChatWindow.h"

#include "Announcer.h"
#include "AttachmentController.h"
#include "AttachmentTray.h"
#include "ChannelActions.h"
#include "ChannelDelegate.h"
#include "ChannelInfoBar.h"
#include "ChannelListMenu.h"
#include "Composer.h"
#include "EditBar.h"
#include "MentionCandidates.h"
#include "MessageActions.h"
#include "MessageDelegate.h"
#include "MessageFormatter.h"
#include "MessageToolbar.h"
#include "MessageViewModel.h"
#include "QuickSwitcher.h"
#include "ReactionPicker.h"
#include "ReplyBar.h"
#include "SafeTextDocument.h"
#include "SearchPanel.h"
#include "app/AboutDialog.h"
#include "app/DesktopNotifier.h"
#include "app/NotifyLevelMenu.h"
#include "app/TrayIconBadge.h"
#include "app/UnreadMarker.h"
#include "models/PresenceModel.h"
#include "session/ChatSession.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSizeGrip>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QVBoxLayout>
#include <algorithm>

namespace Natter {

using State = ConnectionManager::State;

ChatWindow::ChatWindow(ChatSession *session, DesktopNotifier *notifier, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_notifier(notifier)
{
    buildUi();
    buildActions();

    ConnectionManager *conn = m_session->connection();
    connect(conn, &ConnectionManager::stateChanged, this, &ChatWindow::updateConnectionStatus);
    connect(conn, &ConnectionManager::lastErrorChanged, this, &ChatWindow::updateConnectionStatus);
    m_countdown.setInterval(1000);
    m_draftTimer.setSingleShot(true);
    m_draftTimer.setInterval(1000);
    connect(&m_draftTimer, &QTimer::timeout, this, &ChatWindow::keepDraft);
    connect(&m_countdown, &QTimer::timeout, this, &ChatWindow::updateConnectionStatus);

    connect(m_session->typing(), &TypingTracker::typingChanged, this,
            &ChatWindow::updateTypingLine);
    connect(m_session->channels(), &ChannelListModel::totalUnreadChanged, this,
            &ChatWindow::updateTitle);
    connect(m_session->people(), &PresenceModel::userChanged, this, &ChatWindow::updateHeader);
    connect(m_session, &ChatSession::messageDeleted, this, &ChatWindow::onMessageDeleted);
    connect(m_session, &ChatSession::actionFailed, this, &ChatWindow::onActionFailed);
    // An edit, delete or reaction the server could not take yet: it goes out
    // again on its own; said once until none is waiting.
    connect(conn, &ConnectionManager::actionsDelayed, this, [this] {
        announce(tr("The server cannot take your change right now; it will be sent again."));
    });
    // A message the server refused is marked "Not sent" in its row; said too,
    // since the person may be reading another conversation by then.
    connect(conn, &ConnectionManager::messageFailed, this,
            [this](const QString &, const QString &reason) {
                announce(tr("A message was not sent: %1").arg(reason));
            });
    connect(m_session->channels(), &QAbstractItemModel::modelReset, this, [this] {
        // The open channel is no longer ours (we were taken out of it while
        // away: the window opened from the cached list): as when it happens live.
        if (!m_current.isEmpty() && !m_session->channels()->contains(m_current)) {
            onChannelLeft(m_current, m_currentName);
            return;
        }
        if (m_current.isEmpty() && m_session->channels()->rowCount() > 0)
            openChannel(m_session->channels()->index(0).data(ChannelListModel::IdRole).toString());
        else
            m_channelView->setCurrentIndex(
                m_session->channels()->index(m_session->channels()->rowOf(m_current)));
        updateHeader();
    });
    // A first channel arriving live (an operator added us) opens when none is open.
    connect(m_session->channels(), &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_current.isEmpty())
            openChannel(m_session->channels()->index(0).data(ChannelListModel::IdRole).toString());
    });
    connect(m_session->channels(), &QAbstractItemModel::rowsMoved, this, [this] {
        m_channelView->setCurrentIndex(
            m_session->channels()->index(m_session->channels()->rowOf(m_current)));
    });
    connect(m_session, &ChatSession::channelOpened, this, &ChatWindow::openChannel);
    connect(m_session, &ChatSession::channelLeft, this, &ChatWindow::onChannelLeft);

    // Presence: any input in the app counts as activity.
    qApp->installEventFilter(this);

    if (m_session->channels()->rowCount() > 0)
        openChannel(m_session->channels()->index(0).data(ChannelListModel::IdRole).toString());
    updateConnectionStatus();
    updateTitle();
}

ChatWindow::~ChatWindow()
{
    qApp->removeEventFilter(this);
    keepDraft(); // typed within the last second
    if (!m_unsavedLater.isEmpty() && !m_current.isEmpty())
        addToDraft(m_current, m_unsavedLater);
}

void ChatWindow::addToDraft(const QString &channelId, const QString &text)
{
    m_session->setDraft(channelId, MessageActions::withKept(m_session->draft(channelId), text));
}

void ChatWindow::onActionFailed(const QString &channelId, const QString &explanation,
                                const QString &unsavedText)
{
    if (unsavedText.isEmpty()) {
        announce(explanation);
        return;
    }
    // An edit refused for good (too old, archived, not allowed): the editor has
    // closed, and the text is nowhere else. It becomes (part of) the draft, for
    // the person to send as a new message, copy, or delete.
    // A channel no longer listed (not_member: we were taken out of it) has no
    // draft to keep it in: the open composer, where the person looks, takes it.
    if (channelId == m_current || !m_session->channels()->contains(channelId)) {
        m_unsavedLater = MessageActions::withKept(m_unsavedLater, unsavedText);
        flushUnsaved();
        //: %1: why the edit was refused (a sentence)
        announce(tr("%1 What you wrote is back in the message box.").arg(explanation));
        return;
    }
    addToDraft(channelId, unsavedText);
    //: %1: why the edit was refused (a sentence); %2: the channel's name
    announce(tr("%1 What you wrote is kept as a draft in %2.")
                 .arg(explanation, m_session->channels()->displayName(channelId)));
}

bool ChatWindow::sendIsWaiting() const
{
    return m_attachmentTray->isHoldingSend() || m_askingEveryone;
}

void ChatWindow::flushUnsaved()
{
    // No channel open (the last one went): it waits for the next one opened.
    if (m_unsavedLater.isEmpty() || sendIsWaiting() || m_current.isEmpty())
        return;
    m_actions->keepUnsaved(std::exchange(m_unsavedLater, {}));
    keepDraft();
}

void ChatWindow::keepDraft()
{
    m_draftTimer.stop();
    m_session->setDraft(
        m_current, m_actions->isEditing() ? m_actions->draftAside() : m_composer->toPlainText());
}

void ChatWindow::buildUi()
{
    resize(980, 640);
    auto *splitter = new QSplitter(this);

    m_channelView = new QListView(splitter);
    m_channelView->setModel(m_session->channels());
    m_channelView->setItemDelegate(new ChannelDelegate(m_channelView));
    m_channelView->setAccessibleName(tr("Channels"));
    m_channelView->setAccessibleDescription(
        tr("Your channels and direct conversations, most recent first"));
    m_channelView->setMinimumWidth(200);
    connect(m_channelView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &idx) {
                if (idx.isValid())
                    openChannel(idx.data(ChannelListModel::IdRole).toString());
            });

    auto *right = new QWidget(splitter);
    auto *col = new QVBoxLayout(right);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(4);

    m_header = new QLabel(right);
    QFont hf = m_header->font();
    hf.setBold(true);
    hf.setPointSizeF(hf.pointSizeF() * 1.2);
    m_header->setFont(hf);
    m_header->setAccessibleName(tr("Channel name"));
    m_members = new QLabel(right);
    m_members->setTextFormat(Qt::RichText);
    m_members->setAccessibleName(tr("Members and their presence"));
    auto *headerBox = new QVBoxLayout;
    headerBox->setContentsMargins(10, 6, 10, 0);
    headerBox->addWidget(m_header);
    headerBox->addWidget(m_members);
    col->addLayout(headerBox);

    m_loadingLabel = new QLabel(tr("Loading messages…"), right);
    m_loadingLabel->setObjectName(QStringLiteral("loadingLabel"));
    m_loadingLabel->setAccessibleName(tr("Loading messages…"));
    m_loadingLabel->setAlignment(Qt::AlignCenter);
    m_loadingLabel->setForegroundRole(QPalette::PlaceholderText);
    m_loadingLabel->hide();
    col->addWidget(m_loadingLabel);

    m_viewModel = new MessageViewModel(this);
    m_messageView = new QListView(right);
    m_messageDelegate = new MessageDelegate(m_messageView);
    m_messageView->setItemDelegate(m_messageDelegate);
    m_messageView->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_messageView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_messageView->setWordWrap(true);
    m_messageView->setResizeMode(QListView::Adjust);
    m_messageView->setLayoutMode(QListView::Batched);
    m_messageView->setBatchSize(200);
    m_messageView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_messageView->setAccessibleName(tr("Messages"));
    m_messageView->setAccessibleDescription(
        tr("Messages of the open conversation, oldest at the top"));
    m_messageView->installEventFilter(this);
    m_messageView->viewport()->setMouseTracking(true);
    connect(m_messageView, &QWidget::customContextMenuRequested, this,
            &ChatWindow::showMessageMenu);
    // Double-click a message to select part of its text (read-only).
    m_messageView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(m_messageView, &QAbstractItemView::doubleClicked, this, &ChatWindow::openMessageText);
    connect(m_messageDelegate, &MessageDelegate::linkActivated, this, [](const QString &url) {
        // Never anything but http(s) and mailto, whatever the text claimed.
        if (MessageFormatter::isOpenableLink(QUrl(url)))
            QDesktopServices::openUrl(QUrl(url));
    });
    connect(m_messageDelegate, &MessageDelegate::reactionToggled, this,
            [this](const QString &messageId, const QString &emoji) {
                if (!m_current.isEmpty() && !messageId.isEmpty())
                    m_session->toggleReaction(m_current, messageId, emoji);
            });
    connect(m_messageView->verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
        m_stickToBottom = isAtBottom();
        maybeMarkRead();
    });
    connect(m_messageView->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this] {
        if (m_stickToBottom)
            scrollToBottom();
    });
    // §9: thumbnails, the image viewer, Save as… (click, or Enter on a message).
    m_attachments = new AttachmentController(m_session, m_messageView, m_messageDelegate, this);
    connect(m_attachments, &AttachmentController::notice, this, &ChatWindow::announce);
    col->addWidget(m_messageView, 1);
    m_unread = new UnreadMarker(m_messageView);
    connect(m_unread, &UnreadMarker::jumped, this, [this] { m_stickToBottom = false; });

    m_typingLabel = new QLabel(right);
    m_typingLabel->setAccessibleName(tr("Who is typing"));
    QFont tf = m_typingLabel->font();
    tf.setItalic(true);
    m_typingLabel->setFont(tf);
    m_typingLabel->setMinimumHeight(m_typingLabel->fontMetrics().height());
    m_typingLabel->setContentsMargins(10, 0, 10, 0);
    col->addWidget(m_typingLabel);

    m_replyBar = new ReplyBar(right);
    col->addWidget(m_replyBar);
    m_editBar = new EditBar(right);
    col->addWidget(m_editBar);
    m_composer = new Composer(right);
    m_actions = new MessageActions(m_session, m_composer, m_editBar, this);
    connect(m_actions, &MessageActions::notice, this, &ChatWindow::announce);
    // E (or Edit) moves the focus to the composer: say what mode it is in now.
    connect(m_actions, &MessageActions::editingChanged, this, [this](bool editing) {
        if (editing)
            m_announcer->say(m_editBar->accessibleName());
        else
            keepDraft(); // the draft is back, perhaps with a deleted message's new text
    });
    connect(m_composer, &Composer::submitted, this, [this] {
        // Said before it goes, with the text kept where it is: refused by natterd
        // (too_large), an edit's new text would be gone.
        if (const qsizetype length = m_composer->codePoints(); length > Composer::kMaxCodePoints) {
            //: %1: the draft's length, %2: the limit (4,000)
            announce(tr("This is too long to send: %1 characters, at most %2. Shorten it first.")
                         .arg(QLocale().toString(qlonglong(length)),
                              QLocale().toString(qlonglong(Composer::kMaxCodePoints))));
            return;
        }
        if (m_actions->isEditing())
            m_actions->saveEdit();
        else
            sendDraft();
    });
    connect(m_composer, &Composer::editLastRequested, this, [this] {
        if (!m_actions->editLast(m_current, m_viewModel))
            announce(tr("You have no message here to edit."));
    });
    connect(m_composer, &QPlainTextEdit::textChanged, this, [this] {
        // An edit is not typing a new message: no typing indicator for it.
        if (!m_current.isEmpty() && !m_actions->isEditing()) {
            m_session->composerChanged(m_current, m_composer->toPlainText());
            m_draftTimer.start();
        }
    });
    setUpMentionCompletion();
    setUpMessageToolbar();
    // §9: files for the next message (paperclip, drop, paste) and the send that waits for them.
    m_attachmentTray = new AttachmentTray(m_session, m_composer, right);
    m_attachmentTray->acceptDropsOn(this);
    connect(m_attachmentTray, &AttachmentTray::uploadFailed, this, &ChatWindow::announce);
    connect(m_attachmentTray, &AttachmentTray::readyToSend, this, &ChatWindow::sendDraft);
    // Queued: on readyToSend the hold ends just before the send reads the composer.
    connect(m_attachmentTray, &AttachmentTray::holdReleased, this, &ChatWindow::flushUnsaved,
            Qt::QueuedConnection);
    col->addWidget(m_attachmentTray);
    auto *composerRow = new QHBoxLayout;
    composerRow->addWidget(m_attachmentTray->attachButton(), 0, Qt::AlignTop);
    composerRow->addWidget(m_composer, 1);
    col->addLayout(composerRow);
    m_channelActions = new ChannelActions(m_session, this, m_composer, this);
    col->insertWidget(1, m_channelActions->infoBar()); // the topic, under the header
    connect(m_channelActions, &ChannelActions::notice, this, &ChatWindow::announce);
    // The channel list's context menu (mouse, Menu key, Shift+F10).
    new ChannelListMenu(m_session, m_channelActions, m_channelView, this);
    // §8: a rename shows in the header and the title at once.
    connect(m_session->channels(), &QAbstractItemModel::dataChanged, this, [this] {
        updateHeader();
        updateTitle();
    });
    connect(m_replyBar, &ReplyBar::cancelRequested, this, [this] {
        m_replyBar->clear();
        m_composer->setFocus();
    });
    connect(m_messageDelegate, &MessageDelegate::replyQuoteClicked, this,
            &ChatWindow::jumpToMessage);
    setTabOrder(m_composer, m_editBar->cancelButton());
    setTabOrder(m_composer, m_replyBar->cancelButton());

    splitter->addWidget(m_channelView);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({240, 740});
    setCentralWidget(splitter);
    // Grips have no AT-SPI role of their own: a name says what they are.
    splitter->handle(1)->setAccessibleName(tr("Resize the channel list"));

    m_statusLabel = new QLabel(this);
    m_statusLabel->setAccessibleName(tr("Connection state"));
    m_reconnectButton = new QPushButton(tr("Reconnect now"), this);
    m_reconnectButton->setAccessibleDescription(tr("Try to connect to the server right away"));
    connect(m_reconnectButton, &QPushButton::clicked, this,
            [this] { m_session->connection()->reconnectNow(); });
    // Permanent: a notice (showMessage) takes the left of the bar for 10 s and
    // must not hide whether we are connected.
    statusBar()->addPermanentWidget(m_statusLabel);
    statusBar()->addPermanentWidget(m_reconnectButton);
    m_announcer = new Announcer(statusBar());
    if (auto *grip = statusBar()->findChild<QSizeGrip *>())
        grip->setAccessibleName(tr("Resize the window"));

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(tr("Natter"));
        m_tray->show();
        if (m_notifier)
            m_notifier->setFallbackTray(m_tray);
        connect(m_tray, &QSystemTrayIcon::activated, this, &ChatWindow::showFromTray);
    }
}

void ChatWindow::buildActions()
{
    QMenu *file = menuBar()->addMenu(tr("&Natter"));
    QAction *switcher = file->addAction(tr("&Switch to…"));
    switcher->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(switcher, &QAction::triggered, this, [this] {
        QuickSwitcher dialog(m_session, this);
        connect(&dialog, &QuickSwitcher::channelChosen, this, &ChatWindow::openChannel);
        dialog.exec();
    });
    setUpSearch(file);
    QAction *prev = file->addAction(tr("&Previous channel"));
    prev->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    connect(prev, &QAction::triggered, this, [this] { moveChannel(-1); });
    QAction *next = file->addAction(tr("N&ext channel"));
    next->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Down));
    connect(next, &QAction::triggered, this, [this] { moveChannel(1); });
    QAction *newest = file->addAction(tr("Jump to &newest message"));
    newest->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(newest, &QAction::triggered, this, [this] {
        // While a message is being edited, Esc cancels the edit wherever the
        // focus is (the composer takes Esc itself; this covers the edit bar and the list).
        if (m_actions->isEditing())
            m_actions->cancelEdit();
        else
            scrollToBottom();
    });
    QAction *firstUnread = file->addAction(tr("Jump to first &unread message"));
    firstUnread->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Escape));
    connect(firstUnread, &QAction::triggered, this, [this] {
        if (!m_unread->jump())
            announce(tr("There are no unread messages here."));
    });
    m_notifyMenu = new NotifyLevelMenu(m_session, {}, file);
    //: Menu bar: the notification level of the channel being shown.
    m_notifyMenu->setTitle(tr("Noti&fications for this channel"));
    file->addMenu(m_notifyMenu);
    QMenu *language = file->addMenu(tr("&Language"));
    const QList<QPair<QString, QString>> languages{
        {QString(), tr("System default")},
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("de"), QStringLiteral("Deutsch")},
        {QStringLiteral("fr"), QStringLiteral("Français")},
    };
    for (const auto &[code, name] : languages) {
        QAction *a = language->addAction(name);
        connect(a, &QAction::triggered, this, [this, code = code] { Q_EMIT languageChosen(code); });
    }
    m_channelActions->installMenu(); // before Help, which comes last
    buildAppActions(file);
    file->addSeparator();
    QAction *logout = file->addAction(tr("Sign &out"));
    connect(logout, &QAction::triggered, this, &ChatWindow::logoutRequested);
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);
}

void ChatWindow::openChannel(const QString &channelId)
{
    if (channelId.isEmpty())
        return;
    if (channelId == m_current) {
        m_channelView->setCurrentIndex(
            m_session->channels()->index(m_session->channels()->rowOf(channelId)));
        return;
    }
    m_actions->cancelEdit(); // puts the draft back before it is kept for the channel
    m_replyBar->clear(); // a reply answers a message of this channel only
    keepDraft();
    // Held while a send waited, which no longer does: the draft of the channel
    // it belongs to, if that is still ours; else the channel opened now takes it.
    if (!m_unsavedLater.isEmpty() && m_session->channels()->contains(m_current))
        addToDraft(m_current, std::exchange(m_unsavedLater, {}));
    openMessageText({});
    m_current = channelId;
    m_currentName = m_session->channels()->displayName(channelId);
    m_attachmentTray->setChannel(channelId);
    // Where the unread part starts, before opening reads it.
    const Channel opened = m_session->channels()->channel(channelId);
    const int unreadOnOpen = m_session->channels()
                                 ->index(m_session->channels()->rowOf(channelId))
                                 .data(ChannelListModel::UnreadRole)
                                 .toInt();
    m_unread->clear();
    m_session->setActiveChannel(channelId);
    m_currentModel = m_session->messages(channelId);
    m_viewModel->setSourceModel(m_currentModel);
    if (m_messageView->model() != m_viewModel)
        m_messageView->setModel(m_viewModel);
    m_unread->begin(opened.lastReadSeq, int(qMax<qint64>(0, opened.lastSeq - opened.lastReadSeq)),
                    m_session->self().id);
    connect(m_currentModel, &QAbstractItemModel::rowsInserted, this,
            &ChatWindow::onMessagesInserted, Qt::UniqueConnection);
    connect(m_currentModel, &MessageListModel::reloadingChanged, this, &ChatWindow::updateReloading,
            Qt::UniqueConnection);
    connect(m_currentModel, &QAbstractItemModel::dataChanged, this, &ChatWindow::onMessageChanged,
            Qt::UniqueConnection);
    updateReloading();
    {
        const QSignalBlocker block(m_composer);
        m_composer->setPlainText(m_session->draft(channelId));
    }
    m_channelView->setCurrentIndex(
        m_session->channels()->index(m_session->channels()->rowOf(channelId)));
    m_channelActions->setChannel(channelId);
    m_stickToBottom = true;
    scrollToBottom();
    updateHeader();
    updateMentionCandidates();
    updateTypingLine(channelId);
    updateTitle();
    flushUnsaved(); // from a channel that has gone, or from when none was open
    if (unreadOnOpen > 0)
        //: Said to screen readers when a channel with unread messages opens (the
        //: "New messages" line); %n how many. Shift+Esc is the jump's shortcut.
        m_announcer->say(
            tr("New messages: %n. Shift+Esc jumps to the first.", nullptr, unreadOnOpen));
    maybeMarkRead();
}

void ChatWindow::onChannelLeft(const QString &channelId, const QString &name)
{
    //: %1 is a channel name. Shown when an administrator removed the user from it.
    statusBar()->showMessage(tr("You were removed from %1.").arg(name), 10000);
    // Nothing typed there can be sent any more. Forgotten after any switch
    // below, which keeps the draft of the channel it leaves.
    const auto forget = qScopeGuard([this, channelId] { m_session->setDraft(channelId, {}); });
    // Its row is gone; the list view has moved to a neighbour if there is one.
    if (channelId != m_current)
        return;
    if (m_session->channels()->rowCount() > 0) {
        openChannel(m_session->channels()->index(0).data(ChannelListModel::IdRole).toString());
        return;
    }
    // It was the only one: show no channel rather than a stale one.
    m_actions->cancelEdit();
    openMessageText({});
    m_current.clear();
    m_attachmentTray->setChannel({});
    m_session->setActiveChannel({});
    m_currentModel = nullptr;
    m_unread->clear();
    m_messageView->setModel(nullptr);
    m_viewModel->setSourceModel(nullptr);
    updateReloading();
    {
        const QSignalBlocker block(m_composer);
        m_composer->clear();
    }
    m_typingLabel->clear();
    updateHeader();
    updateTitle();
}

void ChatWindow::onMessagesInserted(const QModelIndex &, int first, int last)
{
    if (sender() != m_currentModel)
        return;
    if (last == m_currentModel->rowCount() - 1) {
        // New messages at the end: tell assistive technology, with the text of
        // the newest as the accessible description of the view.
        const QModelIndex idx = m_viewModel->index(last, 0);
        m_messageView->setAccessibleDescription(idx.data(Qt::AccessibleTextRole).toString());
        QAccessibleEvent ev(m_messageView, QAccessible::DescriptionChanged);
        QAccessible::updateAccessibility(&ev);
        // One message arriving from someone else is said aloud (not history, not mine).
        if (first == last && !m_currentModel->isReloading()
            && idx.data(MessageListModel::AuthorIdRole).toString() != m_session->self().id)
            m_announcer->say(idx.data(Qt::AccessibleTextRole).toString());
    }
    maybeMarkRead();
}

void ChatWindow::onMessageChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    // One message replaced by a newer revision (§6): if it is now edited or
    // deleted, say so to assistive technology, as for a new message.
    if (sender() != m_currentModel || topLeft.row() != bottomRight.row())
        return;
    const QModelIndex idx = m_viewModel->index(topLeft.row(), 0);
    if (!idx.data(MessageListModel::DeletedRole).toBool()
        && !idx.data(MessageListModel::EditedAtRole).toDateTime().isValid())
        return;
    const QString text = idx.data(Qt::AccessibleTextRole).toString();
    if (text == m_messageView->accessibleDescription())
        return;
    m_messageView->setAccessibleDescription(text);
    QAccessibleEvent ev(m_messageView, QAccessible::DescriptionChanged);
    QAccessible::updateAccessibility(&ev);
}

void ChatWindow::openMessageText(const QModelIndex &index)
{
    if (m_textIndex.isValid() && m_messageView->isPersistentEditorOpen(m_textIndex))
        m_messageView->closePersistentEditor(m_textIndex);
    m_textIndex = index;
    if (!index.isValid())
        return;
    m_messageView->openPersistentEditor(index);
    if (QWidget *editor = m_messageView->indexWidget(index))
        editor->setFocus(Qt::MouseFocusReason);
}

void ChatWindow::sendDraft()
{
    const QString text = m_composer->toPlainText();
    if (m_current.isEmpty() || (text.trimmed().isEmpty() && !m_attachmentTray->hasFiles()))
        return;
    if (m_attachmentTray->holdSend())
        return; // sent on readyToSend, once every file is up
    if (askBeforeNotifyingEveryone(text))
        return; // sent (or not) when the person answers
    m_session->sendMessage(m_current, text, m_replyBar->targetId(), m_attachmentTray->fileIds());
    m_attachmentTray->takeSent();
    m_replyBar->clear();
    {
        const QSignalBlocker block(m_composer);
        m_composer->clear();
    }
    m_draftTimer.stop();
    m_session->setDraft(m_current, {});
    m_stickToBottom = true;
    scrollToBottom();
    flushUnsaved(); // a refused edit's text that came while the send waited
}

QString ChatWindow::connectionText() const
{
    const ConnectionManager *conn = m_session->connection();
    switch (conn->state()) {
    case State::Connected:
        return tr("Connected");
    case State::Connecting:
        return tr("Connecting…");
    case State::Authenticating:
        return tr("Signing in to the server…");
    case State::Disconnected:
        return tr("Offline");
    case State::LoggedOut:
        return tr("Signed out: %1").arg(conn->lastError());
    case State::Reconnecting: {
        const qint64 secs = qMax<qint64>(
            0, (QDateTime::currentDateTimeUtc().msecsTo(conn->nextAttemptAt()) + 999) / 1000);
        const QString why = conn->lastError().isEmpty() ? tr("Connection lost") : conn->lastError();
        if (!conn->nextAttemptAt().isValid())
            return tr("%1 — reconnecting…").arg(why);
        return tr("%1 — reconnecting in %n s", nullptr, int(secs)).arg(why);
    }
    }
    return {};
}

void ChatWindow::updateConnectionStatus()
{
    const State state = m_session->connection()->state();
    m_statusLabel->setText(connectionText());
    // Screen readers hear what a person would notice in the status bar: the
    // connection lost (and why), back again, or the login gone; not each step
    // of connecting, nor the countdown.
    const bool down =
        state == State::Reconnecting || state == State::Disconnected || state == State::LoggedOut;
    const bool wasDown = m_toldState == State::Reconnecting || m_toldState == State::Disconnected
        || m_toldState == State::LoggedOut;
    if (down && state != m_toldState) {
        const QString why = m_session->connection()->lastError();
        m_toldState = state;
        if (state == State::Reconnecting)
            m_announcer->say(
                tr("%1 — reconnecting…").arg(why.isEmpty() ? tr("Connection lost") : why));
        else
            m_announcer->say(connectionText());
    } else if (state == State::Connected && wasDown) {
        m_toldState = state;
        m_announcer->say(tr("Connected again."));
    }
    m_reconnectButton->setVisible(state == State::Reconnecting || state == State::Disconnected);
    if (state == State::Reconnecting)
        m_countdown.start();
    else
        m_countdown.stop();
}

QString ChatWindow::typingText() const
{
    return m_typingLabel->text();
}

void ChatWindow::updateTypingLine(const QString &channelId)
{
    if (channelId != m_current)
        return;
    const QString text = m_session->typing()->typingText(channelId);
    if (text == m_typingLabel->text())
        return;
    m_typingLabel->setText(text);
    QAccessibleEvent ev(m_typingLabel, QAccessible::NameChanged);
    QAccessible::updateAccessibility(&ev);
    m_announcer->say(text); // the label's name stays "Who is typing"
}

void ChatWindow::updateHeader()
{
    const ChannelListModel *channels = m_session->channels();
    const Channel c = channels->channel(m_current);
    if (c.id.isEmpty()) {
        m_header->clear();
        m_members->clear();
        return;
    }
    const QString name = channels->displayName(c.id);
    m_currentName = name; // renamed meanwhile, perhaps
    m_header->setText(c.kind == ChannelKind::Direct ? name : QStringLiteral("#") + name);
    QStringList people;
    for (const QString &id : c.members) {
        const PresenceStatus st = m_session->people()->status(id);
        const QString color = ChannelDelegate::presenceColor(int(st)).name();
        QString status;
        switch (st) {
        case PresenceStatus::Online:
            status = tr("online");
            break;
        case PresenceStatus::Away:
            status = tr("away");
            break;
        case PresenceStatus::Offline:
            status = tr("offline");
            break;
        }
        people.append(QStringLiteral("<span style=\"color:%1\">●</span> %2")
                          .arg(color, m_session->people()->displayName(id).toHtmlEscaped())
                      + QStringLiteral("<span style=\"color:gray\"> (%1)</span>").arg(status));
    }
    m_members->setText(people.join(QStringLiteral("&nbsp;&nbsp; ")));
}

void ChatWindow::updateTitle()
{
    const int unread = m_session->channels()->totalUnread();
    const QString channel = m_current.isEmpty() ? QString() : m_header->text();
    QString title = channel.isEmpty() ? tr("Natter") : tr("%1 — Natter").arg(channel);
    if (unread > 0)
        title = tr("(%1) %2").arg(unread).arg(title);
    setWindowTitle(title);
    if (m_tray) {
        m_tray->setToolTip(unread > 0 ? tr("Natter — %n unread", nullptr, unread) : tr("Natter"));
        m_tray->setIcon(TrayIconBadge::withCount(windowIcon(), unread));
    }
}

bool ChatWindow::isAtBottom() const
{
    const QScrollBar *bar = m_messageView->verticalScrollBar();
    return bar->value() >= bar->maximum() - 4;
}

void ChatWindow::scrollToBottom()
{
    m_messageView->scrollToBottom();
    m_stickToBottom = true;
    maybeMarkRead();
}

void ChatWindow::maybeMarkRead()
{
    // Read means seen: the window is showing and the newest message is in view.
    if (m_current.isEmpty() || !isVisible() || isMinimized() || !isAtBottom())
        return;
    m_session->markChannelRead(m_current);
}

void ChatWindow::moveChannel(int delta)
{
    const ChannelListModel *channels = m_session->channels();
    const int row = channels->rowOf(m_current) + delta;
    if (row >= 0 && row < channels->rowCount())
        openChannel(channels->index(row).data(ChannelListModel::IdRole).toString());
}

void ChatWindow::showMessageMenu(const QPoint &pos)
{
    const QModelIndex idx = m_messageView->indexAt(pos);
    QMenu menu(this);
    QAction *copy = menu.addAction(tr("&Copy text"));
    copy->setShortcut(QKeySequence::Copy);
    copy->setEnabled(idx.isValid() || m_messageView->selectionModel()->hasSelection());
    connect(copy, &QAction::triggered, this, [this, idx] {
        QStringList texts;
        const auto selected = m_messageView->selectionModel()->selectedIndexes();
        for (const QModelIndex &i : selected)
            texts.append(i.data(MessageListModel::TextRole).toString());
        if (texts.isEmpty() && idx.isValid())
            texts.append(idx.data(MessageListModel::TextRole).toString());
        QGuiApplication::clipboard()->setText(texts.join(QLatin1Char('\n')));
    });
    const bool failed = idx.isValid()
        && MessageListModel::DeliveryState(idx.data(MessageListModel::DeliveryStateRole).toInt())
            == MessageListModel::DeliveryState::Failed;
    if (failed) {
        const QString id = idx.data(MessageListModel::ClientMsgIdRole).toString();
        menu.addSeparator();
        QAction *retry = menu.addAction(tr("&Retry sending"));
        connect(retry, &QAction::triggered, this, [this, id] { m_session->retryMessage(id); });
        QAction *discard = menu.addAction(tr("&Discard"));
        connect(discard, &QAction::triggered, this, [this, id] { m_session->discardMessage(id); });
    }
    if (canReply(idx)) {
        QAction *reply = menu.addAction(tr("Re&ply"));
        reply->setShortcut(QKeySequence(Qt::Key_R));
        const QPersistentModelIndex replyTarget(idx);
        connect(reply, &QAction::triggered, this, [this, replyTarget] {
            if (replyTarget.isValid())
                beginReply(replyTarget);
        });
    }
    addReactionMenu(&menu, idx);
    if (idx.isValid())
        m_channelActions->addMessagePersonAction(
            &menu, idx.data(MessageListModel::AuthorIdRole).toString());
    const QPersistentModelIndex target(idx);
    const bool canEdit = m_actions->canEdit(idx);
    const bool canDelete = m_actions->canDelete(idx);
    if (canEdit || canDelete)
        menu.addSeparator();
    if (canEdit) {
        QAction *edit = menu.addAction(tr("&Edit"));
        edit->setShortcut(QKeySequence(Qt::Key_E));
        connect(edit, &QAction::triggered, this, [this, target] {
            if (target.isValid())
                m_actions->beginEdit(m_current, target);
        });
    }
    if (canDelete) {
        QAction *remove = menu.addAction(tr("De&lete…"));
        remove->setShortcut(QKeySequence::Delete);
        connect(remove, &QAction::triggered, this, [this, target] {
            if (target.isValid())
                m_actions->confirmDelete(m_current, target);
        });
    }
    menu.exec(m_messageView->viewport()->mapToGlobal(pos));
}

void ChatWindow::addReactionMenu(QMenu *menu, const QModelIndex &idx)
{
    // §7: only a stored, live, non-system message can be reacted to. The menu is
    // the keyboard path to reactions (Menu key on a focused message).
    const QString id = idx.data(MessageListModel::IdRole).toString();
    if (!idx.isValid() || id.isEmpty() || idx.data(MessageListModel::DeletedRole).toBool()
        || MessageKind(idx.data(MessageListModel::KindRole).toInt()) == MessageKind::System)
        return;
    QMenu *react = menu->addMenu(tr("&React"));
    react->setObjectName(QStringLiteral("reactMenu"));
    QStringList emoji{QStringLiteral("👍"), QStringLiteral("❤️"), QStringLiteral("😂"),
                      QStringLiteral("🎉"), QStringLiteral("👀")};
    const QVariantList reactions = idx.data(MessageListModel::ReactionsRole).toList();
    for (const QVariant &v : reactions) {
        const QString e = v.toMap().value(QStringLiteral("emoji")).toString();
        if (!emoji.contains(e))
            emoji.append(e);
    }
    const QString channel = m_current;
    for (const QString &e : std::as_const(emoji)) {
        QAction *a = react->addAction(e);
        a->setCheckable(true);
        a->setChecked(m_currentModel && m_currentModel->reactedByMe(id, e));
        //: Accessible name of an entry of the React menu; %1 is the emoji.
        a->setToolTip(a->isChecked() ? tr("Remove your %1 reaction").arg(e)
                                     : tr("React with %1").arg(e));
        connect(a, &QAction::triggered, this,
                [this, channel, id, e] { m_session->toggleReaction(channel, id, e); });
    }
    react->addSeparator();
    QAction *more = react->addAction(tr("&Add reaction…"));
    more->setShortcut(QKeySequence(Qt::Key_Plus));
    const QPersistentModelIndex target(idx);
    connect(more, &QAction::triggered, this, [this, target] {
        if (target.isValid())
            openReactionPicker(target);
    });
}

bool ChatWindow::canReply(const QModelIndex &idx) const
{
    // §7 send.reply_to: a stored, live message of this channel; not a system message.
    return idx.isValid() && !idx.data(MessageListModel::IdRole).toString().isEmpty()
        && !idx.data(MessageListModel::DeletedRole).toBool()
        && MessageKind(idx.data(MessageListModel::KindRole).toInt()) != MessageKind::System;
}

void ChatWindow::beginReply(const QModelIndex &idx)
{
    if (sendIsWaiting()) { // it would change what the waiting message answers
        announce(tr("A message is waiting to be sent; reply once it has gone."));
        return;
    }
    if (m_actions->isEditing())
        m_actions->cancelEdit();
    m_replyBar->setTarget(idx.data(MessageListModel::IdRole).toString(),
                          idx.data(MessageListModel::AuthorNameRole).toString(),
                          idx.data(MessageListModel::TextRole).toString().left(200));
    m_composer->setFocus();
    m_announcer->say(m_replyBar->text()); // "Replying to Bob: …": the composer does not say it
}

void ChatWindow::jumpToMessage(const QString &messageId)
{
    const int row = m_currentModel ? m_currentModel->rowOfId(messageId) : -1;
    if (row < 0) {
        loadOlderUntil(messageId);
        return;
    }
    m_pendingJump.clear();
    const QModelIndex target = m_viewModel->mapFromSource(m_currentModel->index(row));
    m_stickToBottom = false;
    m_messageView->scrollTo(target, QAbstractItemView::PositionAtCenter);
    m_messageView->setCurrentIndex(target);
    m_messageDelegate->flash(messageId);
}

void ChatWindow::onMessageDeleted(const QString &channelId, const QString &messageId)
{
    // (Its desktop notification: ChannelNotifications withdraws it.)
    m_actions->onMessageDeleted(channelId, messageId);
}

void ChatWindow::updateReloading()
{
    const bool reloading = m_currentModel && m_currentModel->isReloading();
    if (reloading == m_loadingLabel->isVisible())
        return;
    m_loadingLabel->setVisible(reloading);
    m_messageView->setAccessibleDescription(
        reloading ? tr("Loading messages…")
                  : tr("Messages of the open conversation, oldest at the top"));
    QAccessibleEvent ev(m_messageView, QAccessible::DescriptionChanged);
    QAccessible::updateAccessibility(&ev);
}

void ChatWindow::announce(const QString &text)
{
    statusBar()->showMessage(text, 10000);
    statusBar()->setAccessibleDescription(text);
    // Not QAccessible::Alert: Qt's AT-SPI bridge drops it (see Announcer).
    m_announcer->say(text);
}

void ChatWindow::buildAppActions(QMenu *appMenu)
{
    appMenu->addSeparator();
    QAction *settings = appMenu->addAction(tr("Se&ttings…"));
    settings->setObjectName(QStringLiteral("settingsAction"));
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    connect(settings, &QAction::triggered, this, &ChatWindow::settingsRequested);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Natter"));
    about->setObjectName(QStringLiteral("aboutAction"));
    connect(about, &QAction::triggered, this, [this] {
        AboutDialog dialog(this);
        dialog.exec();
    });
    if (m_tray) {
        // The tray's own menu: the way back to a window closed to the tray.
        auto *trayMenu = new QMenu(this);
        connect(trayMenu->addAction(tr("&Show Natter")), &QAction::triggered, this,
                &ChatWindow::showFromTray);
        connect(trayMenu->addAction(tr("&Quit")), &QAction::triggered, qApp, &QApplication::quit);
        m_tray->setContextMenu(trayMenu);
    }
}

void ChatWindow::showFromTray()
{
    showNormal();
    raise();
    activateWindow();
}

bool ChatWindow::closesToTray() const
{
    return m_closeToTray && m_tray && m_tray->isVisible();
}

void ChatWindow::closeEvent(QCloseEvent *event)
{
    if (closesToTray()) {
        // Natter keeps running (and notifying); the tray icon brings it back.
        hide();
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

bool ChatWindow::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
        m_session->userActivity();
        break;
    default:
        break;
    }
    if (watched == m_messageView && event->type() == QEvent::KeyPress) {
        auto *ke = static_cast<QKeyEvent *>(event);
        const QModelIndex current = m_messageView->currentIndex();
        // A focused message: R replies to it, E edits it (own messages).
        if (ke->modifiers() == Qt::NoModifier && ke->key() == Qt::Key_R && canReply(current)) {
            beginReply(current);
            return true;
        }
        if (ke->modifiers() == Qt::NoModifier && ke->key() == Qt::Key_E
            && m_actions->canEdit(current)) {
            m_actions->beginEdit(m_current, current);
            return true;
        }
        if (ke->matches(QKeySequence::Delete) && m_actions->canDelete(current)) {
            m_actions->confirmDelete(m_current, current);
            return true;
        }
        // The context menu of the current message from the keyboard.
        if (ke->key() == Qt::Key_Menu
            || (ke->key() == Qt::Key_F10 && ke->modifiers() == Qt::ShiftModifier)) {
            m_messageView->scrollTo(current);
            showMessageMenu(current.isValid() ? m_messageView->visualRect(current).center()
                                              : QPoint(4, 4));
            return true;
        }
        if (ke->matches(QKeySequence::Copy)) {
            QStringList texts;
            for (const QModelIndex &i : m_messageView->selectionModel()->selectedIndexes())
                texts.append(i.data(MessageListModel::TextRole).toString());
            QGuiApplication::clipboard()->setText(texts.join(QLatin1Char('\n')));
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void ChatWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::WindowStateChange || event->type() == QEvent::ActivationChange)
        maybeMarkRead();
    if (event->type() == QEvent::PaletteChange && m_messageDelegate)
        m_messageDelegate->clearCache();
}

void ChatWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    maybeMarkRead();
}

void ChatWindow::setUpMentionCompletion()
{
    m_mentionCandidates = new MentionCandidates(m_session->people(), this);
    m_composer->setMentionCandidates(m_mentionCandidates, PresenceModel::UsernameRole);
    // Membership changes arrive as channel updates (§8): follow them.
    connect(m_session->channels(), &QAbstractItemModel::dataChanged, this,
            &ChatWindow::updateMentionCandidates);
    connect(m_session->channels(), &QAbstractItemModel::modelReset, this,
            &ChatWindow::updateMentionCandidates);
}

void ChatWindow::updateMentionCandidates()
{
    if (m_mentionCandidates)
        m_mentionCandidates->setMembers(m_session->channels()->channel(m_current).members,
                                        m_session->self().id);
}

bool ChatWindow::askBeforeNotifyingEveryone(const QString &text)
{
    if (m_everyoneConfirmed) {
        m_everyoneConfirmed = false;
        return false;
    }
    const Channel channel = m_session->channels()->channel(m_current);
    if (channel.members.size() <= kQuietChannelMembers)
        return false;
    // What the server will count as `@channel` (§7: outside code), the way the
    // view marks it.
    SafeTextDocument doc;
    MessageFormatter::render(&doc, text);
    if (!MessageFormatter::markedMentions(&doc).contains(QLatin1String("channel")))
        return false;
    const int others = int(channel.members.size()) - 1;
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Notify everyone?"),
                        tr("@channel notifies all %n other members of #%1.", nullptr, others)
                            .arg(m_session->channels()->displayName(channel.id)),
                        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("notifyEveryoneBox"));
    box->setInformativeText(tr("Send the message and notify them?"));
    QPushButton *send = box->addButton(tr("&Notify everyone"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(send);
    box->setEscapeButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString channelId = channel.id;
    // open(), not exec(): the window stays live while the question waits.
    connect(box, &QMessageBox::finished, this, [this, box, send, channelId] {
        const bool confirmed = box->clickedButton() == send && channelId == m_current;
        m_askingEveryone = false;
        m_composer->setFocus();
        if (confirmed) {
            m_everyoneConfirmed = true;
            sendDraft();
        }
        flushUnsaved();
    });
    m_askingEveryone = true;
    box->open();
    return true;
}

void ChatWindow::setUpMessageToolbar()
{
    m_toolbar = new MessageToolbar(m_messageView);
    m_toolbar->setChecks([this](const QModelIndex &idx) { return canReact(idx); },
                         [this](const QModelIndex &idx) { return canReply(idx); },
                         [this](const QModelIndex &idx) { return m_actions->canEdit(idx); },
                         [this](const QModelIndex &idx) { return m_actions->canDelete(idx); });
    m_toolbar->watchModel(m_viewModel);
    connect(m_messageView->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &ChatWindow::loadOlderAtTop);
    connect(m_toolbar, &MessageToolbar::reactRequested, this, &ChatWindow::openReactionPicker);
    connect(m_toolbar, &MessageToolbar::replyRequested, this, [this](const QModelIndex &idx) {
        if (canReply(idx))
            beginReply(idx);
    });
    connect(m_toolbar, &MessageToolbar::editRequested, this, [this](const QModelIndex &idx) {
        if (m_actions->canEdit(idx))
            m_actions->beginEdit(m_current, idx);
    });
    connect(m_toolbar, &MessageToolbar::deleteRequested, this, [this](const QModelIndex &idx) {
        if (m_actions->canDelete(idx))
            m_actions->confirmDelete(m_current, idx);
    });
}

bool ChatWindow::canReact(const QModelIndex &idx) const
{
    // §7: only a stored, live, non-system message can be reacted to.
    return idx.isValid() && !idx.data(MessageListModel::IdRole).toString().isEmpty()
        && !idx.data(MessageListModel::DeletedRole).toBool()
        && MessageKind(idx.data(MessageListModel::KindRole).toInt()) != MessageKind::System;
}

QStringList ChatWindow::frequentEmoji() const
{
    // The usual few, then whatever this person picked in this session, most used first.
    QStringList emoji{QStringLiteral("👍"), QStringLiteral("❤️"), QStringLiteral("😂"),
                      QStringLiteral("🎉"), QStringLiteral("👀"),      QStringLiteral("🙏"),
                      QStringLiteral("🔥"), QStringLiteral("✅")};
    QStringList used = m_reactionUse.keys();
    std::stable_sort(used.begin(), used.end(), [this](const QString &a, const QString &b) {
        return m_reactionUse.value(a) > m_reactionUse.value(b);
    });
    for (auto it = used.crbegin(); it != used.crend(); ++it) {
        emoji.removeAll(*it);
        emoji.prepend(*it);
    }
    return emoji;
}

void ChatWindow::openReactionPicker(const QModelIndex &idx)
{
    if (!canReact(idx))
        return;
    const QString channel = m_current;
    const QString id = idx.data(MessageListModel::IdRole).toString();
    auto *picker = new ReactionPicker(frequentEmoji(), this);
    connect(picker, &ReactionPicker::emojiChosen, this, [this, channel, id](const QString &e) {
        m_reactionUse[e] += 1;
        if (channel != m_current)
            return;
        const bool had = m_currentModel && m_currentModel->reactedByMe(id, e);
        m_session->toggleReaction(channel, id, e);
        announce(had ? tr("Removed your %1 reaction").arg(e) : tr("Reacted with %1").arg(e));
    });
    connect(picker, &QDialog::finished, m_messageView, qOverload<>(&QWidget::setFocus));
    picker->open();
}

void ChatWindow::loadOlderAtTop()
{
    // Scrolled to the top: the page before the oldest held message (see
    // MessageViewModel::canFetchMore for why the view does not do this itself).
    const QScrollBar *bar = m_messageView->verticalScrollBar();
    if (m_currentModel && bar->value() == bar->minimum() && bar->maximum() > bar->minimum()
        && m_currentModel->canFetchMore({}))
        m_currentModel->fetchMore({});
}

void ChatWindow::loadOlderUntil(const QString &messageId)
{
    // The quoted message is older than what is loaded: page back through the
    // channel's history (§3 history, the model's own paging) until it is held.
    if (!m_currentModel)
        return;
    m_pendingJump = messageId;
    m_pendingJumpChannel = m_current;
    m_pendingJumpFromSearch = m_jumpFromSearch;
    // Queued: the model still says "fetching" while a page's rows go in.
    connect(m_currentModel, &QAbstractItemModel::rowsInserted, this,
            &ChatWindow::continuePendingJump,
            Qt::ConnectionType(Qt::QueuedConnection | Qt::UniqueConnection));
    announce(m_pendingJumpFromSearch ? tr("Loading older messages to find the message…")
                                     : tr("Loading older messages to find the message answered…"));
    continuePendingJump();
}

void ChatWindow::continuePendingJump()
{
    if (m_pendingJump.isEmpty() || !m_currentModel)
        return;
    if (m_pendingJumpChannel != m_current) {
        m_pendingJump.clear(); // the person went elsewhere
        return;
    }
    if (m_currentModel->rowOfId(m_pendingJump) >= 0) {
        const QString id = m_pendingJump;
        m_pendingJump.clear();
        jumpToMessage(id);
        return;
    }
    if (m_currentModel->isFetchingHistory())
        return; // the next page is on its way
    if (m_currentModel->canFetchMore({})) {
        m_currentModel->fetchMore({});
        return;
    }
    m_pendingJump.clear();
    announce(m_pendingJumpFromSearch
                 ? tr("The message is no longer in this channel's history.")
                 : tr("The message answered is no longer in this channel's history."));
}

void ChatWindow::setUpSearch(QMenu *menu)
{
    m_search = new SearchPanel(m_session, this);
    addDockWidget(Qt::RightDockWidgetArea, m_search);
    m_search->hide();
    connect(m_search, &SearchPanel::messageChosen, this, &ChatWindow::showMessage);
    connect(m_search, &SearchPanel::announcement, this, &ChatWindow::announce);
    QAction *find = menu->addAction(tr("Fin&d messages…"));
    find->setObjectName(QStringLiteral("findAction"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] { m_search->open(m_current); });
}

void ChatWindow::showMessage(const QString &channelId, const QString &messageId)
{
    openChannel(channelId);
    if (channelId != m_current)
        return;
    // The quote-jump of issue 13: pages back through history until the message
    // is there, then scrolls to it and highlights it.
    m_jumpFromSearch = true;
    jumpToMessage(messageId);
    m_jumpFromSearch = false;
}

} // namespace Natter
