// A send load for the multi-node tests (issue 16): several senders, each on its
// own WebSocket (WsTestClient), each sending its next message as soon as the
// previous one is acked, round-robin over the channels, the way the desktop
// client's outbox sends (one in flight, in order). When natterd answers a send
// with `rate_limited` (§3: "cannot store this right now", retryable) the sender
// sends the same message again, same client_msg_id, after a short pause, as the
// outbox does; any other error is recorded and stops that sender.
//
// It only drives and counts: the test waits on its counters (QTest::qWaitFor)
// and checks what every client received. Owned by the test function.
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

class WsTestClient;

class SendLoad : public QObject
{
    Q_OBJECT
public:
    // `tag` prefixes every client_msg_id ("<tag>-<sender>-<n>"); message n of
    // sender s goes to channels[(s + n) % channels.size()].
    SendLoad(std::vector<WsTestClient *> senders, QStringList channels, int perSender, QString tag,
             QObject *parent = nullptr);
    ~SendLoad() override;

    // The pause before sending a refused message again (ms).
    void setRetryPauseMs(int ms) { m_retryPauseMs = ms; }
    void start();

    int acked() const { return m_acked; }
    // Sends answered `rate_limited` (and sent again).
    int refused() const { return m_refused; }
    int total() const { return int(m_senders.size()) * m_perSender; }
    bool done() const { return m_acked == total(); }
    // Errors other than rate_limited ("sender s: code"); a correct run has none.
    QStringList failures() const { return m_failures; }
    // The seq each acked client_msg_id got.
    QHash<QString, qint64> seqOfId() const { return m_seqOfId; }
    QString describe() const;

private:
    void sendCurrent(int sender);
    void onFrame(int sender);

    struct Sender
    {
        WsTestClient *client = nullptr;
        int next = 0; // the message in flight (or the next one)
        qsizetype seen = 0; // frames of the client already looked at
        bool waiting = false; // a send is in flight
    };
    std::vector<Sender> m_senders;
    QStringList m_channels;
    int m_perSender;
    QString m_tag;
    int m_retryPauseMs = 250;
    int m_acked = 0;
    int m_refused = 0;
    int m_ref = 0;
    QStringList m_failures;
    QHash<QString, qint64> m_seqOfId;
};
