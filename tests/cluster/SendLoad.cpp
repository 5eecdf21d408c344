#include "SendLoad.h"

#include "WsTestClient.h"

#include <QJsonObject>
#include <QPointer>
#include <QTimer>

SendLoad::SendLoad(std::vector<WsTestClient *> senders, QStringList channels, int perSender,
                   QString tag, QObject *parent)
    : QObject(parent)
    , m_channels(std::move(channels))
    , m_perSender(perSender)
    , m_tag(std::move(tag))
{
    for (WsTestClient *client : senders) {
        Sender s;
        s.client = client;
        s.seen = client->frames().size();
        m_senders.push_back(s);
    }
}

SendLoad::~SendLoad()
{
    for (const Sender &s : m_senders)
        s.client->disconnect(this);
}

void SendLoad::start()
{
    for (int i = 0; i < int(m_senders.size()); ++i) {
        connect(m_senders[size_t(i)].client, &WsTestClient::frameArrived, this,
                [this, i] { onFrame(i); });
        sendCurrent(i);
    }
}

void SendLoad::sendCurrent(int sender)
{
    Sender &s = m_senders[size_t(sender)];
    if (s.next >= m_perSender || s.waiting)
        return;
    const int n = s.next;
    s.waiting = true;
    s.client->sendJson(
        {{QStringLiteral("type"), QStringLiteral("send")},
         {QStringLiteral("ref"), ++m_ref},
         {QStringLiteral("channel"), m_channels.at((sender + n) % m_channels.size())},
         {QStringLiteral("client_msg_id"),
          QStringLiteral("%1-%2-%3").arg(m_tag).arg(sender).arg(n)},
         {QStringLiteral("text"), QStringLiteral("%1 %2 %3").arg(m_tag).arg(sender).arg(n)}});
}

void SendLoad::onFrame(int sender)
{
    Sender &s = m_senders[size_t(sender)];
    const QList<QJsonObject> frames = s.client->frames();
    for (; s.seen < frames.size(); ++s.seen) {
        const QJsonObject &f = frames.at(s.seen);
        const QString type = f.value(QStringLiteral("type")).toString();
        if (type == u"ack") {
            const QJsonObject m = f.value(QStringLiteral("message")).toObject();
            m_seqOfId.insert(m.value(QStringLiteral("client_msg_id")).toString(),
                             m.value(QStringLiteral("seq")).toInteger());
            ++m_acked;
            ++s.next;
            s.waiting = false;
            sendCurrent(sender);
        } else if (type == u"error") {
            const QString code = f.value(QStringLiteral("code")).toString();
            s.waiting = false;
            if (code != u"rate_limited") {
                m_failures << QStringLiteral("sender %1: %2").arg(sender).arg(code);
                continue;
            }
            // Retryable: the same message again after a pause (the outbox's).
            ++m_refused;
            QTimer::singleShot(m_retryPauseMs, this, [this, sender] { sendCurrent(sender); });
        }
    }
}

QString SendLoad::describe() const
{
    QStringList parts;
    for (size_t i = 0; i < m_senders.size(); ++i)
        parts << QStringLiteral("%1:%2/%3").arg(i).arg(m_senders[i].next).arg(m_perSender);
    return QStringLiteral("%1 acked of %2, %3 refused; senders %4; failures: %5")
        .arg(m_acked)
        .arg(total())
        .arg(m_refused)
        .arg(parts.join(u' '), m_failures.join(u"; "));
}
