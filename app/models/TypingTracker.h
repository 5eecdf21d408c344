// Who is typing in which channel, as the receiving side sees it.
//
// Every entry removes itself once its `expires_in_ms` has passed, when that
// user's message arrives, when a `stop` arrives, and when our own connection
// drops (docs/protocol.md §3) — so no indicator is ever left stale, even if the
// server's own `stop` never reaches us. Owned by ChatSession.
#pragma once

#include "protocol/Types.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace Natter {

class PresenceModel;

class TypingTracker : public QObject
{
    Q_OBJECT
public:
    // `names` resolves user ids to display names for typingText(); may be null.
    explicit TypingTracker(const PresenceModel *names, QObject *parent = nullptr);

    void apply(const TypingEvent &event);
    void messageArrived(const QString &channel, const QString &userId);
    void clear(); // our connection dropped

    // User ids typing in `channel`, in the order they started.
    QStringList typists(const QString &channel) const;
    // "Alice is typing…", "Alice and Bob are typing…", "Several people are typing…",
    // or an empty string.
    QString typingText(const QString &channel) const;

Q_SIGNALS:
    // The set of typists in `channel` changed.
    void typingChanged(const QString &channel);

private:
    struct Entry
    {
        QString user;
        QDeadlineTimer expiry;
    };
    void remove(const QString &channel, const QString &user);
    void expire();
    void scheduleNextExpiry();

    const PresenceModel *m_names;
    QHash<QString, QList<Entry>> m_byChannel;
    QTimer m_timer;
};

} // namespace Natter
