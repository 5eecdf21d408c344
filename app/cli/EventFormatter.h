// Turns protocol events into natter-cli's output lines: readable text, or with
// --json one JSON object per line (a stable, documented shape: "type" plus the
// protocol's own field names, with channel and author names added). Also keeps
// the id → name directory from the `connected` snapshot, so people can name a
// channel ("general", "#general") where the protocol wants its id.
#pragma once

#include "protocol/Types.h"

#include "net/SearchClient.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

namespace Natter {

class EventFormatter
{
public:
    explicit EventFormatter(bool json = false);

    bool isJson() const { return m_json; }

    void setSnapshot(const ConnectedEvent &event);
    void addChannel(const Channel &channel);
    // The id of the channel called `nameOrId` (a name, "#name" or an id); empty
    // when the user has no such channel.
    QString resolveChannel(const QString &nameOrId) const;
    QString channelName(const QString &id) const;
    QString userName(const QString &id) const;

    // Each returns complete lines ending in '\n'.
    QByteArray connected(const ConnectedEvent &event) const;
    QByteArray channelList() const;
    QByteArray message(const Message &message) const;
    QByteArray history(const HistoryEvent &event) const;
    // §10 search results, newest first; a line saying so when there are none.
    QByteArray searchPage(const SearchPage &page) const;
    QByteArray typing(const TypingEvent &event) const;
    QByteArray presence(const PresenceEvent &event) const;
    QByteArray read(const ReadEvent &event) const;
    // Records the channel (a new one, changed members, or one we left) and the
    // people it introduces, and describes it.
    QByteArray applyChannel(const ChannelEvent &event);
    QByteArray error(const ErrorEvent &event) const;
    // §6 `message_updated` (an edit, a delete, §7 a reaction) and `resync`.
    QByteArray updated(const MessageUpdatedEvent &event) const;
    QByteArray resync(const ResyncEvent &event) const;

private:
    QJsonObject messageJson(const Message &message) const;
    QJsonValue replyJson(const Message &message) const;
    QJsonArray reactionsJson(const Message &message) const;
    // A §7 system message in words (SystemMessageText), people by username.
    QString systemText(const Message &message) const;
    QStringList userNames(const QStringList &ids) const;
    // Plain output: "(reply to …) (mentions you) " before a message's text.
    QString decorations(const Message &message) const;
    QString reactionSummary(const Message &message) const;
    // Plain output: one line per §9 file of a message (name, size, type, id).
    static QByteArray attachmentLines(const Message &message);
    QJsonObject channelJson(const Channel &channel) const;
    static QByteArray line(const QJsonObject &object);
    static QByteArray line(const QString &text);

    bool m_json;
    QString m_selfId;
    QHash<QString, Channel> m_channels;
    QHash<QString, User> m_users;
    QList<QString> m_channelOrder;
};

} // namespace Natter
