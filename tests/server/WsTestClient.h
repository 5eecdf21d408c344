// A small WebSocket test client for natterd integration tests.
//
// Wraps a real QWebSocket; keeps every received frame in order, and lets a test
// wait (on signals, with a timeout) for the next frame of a given type or for
// the close. Nothing is faked: it talks to the real natterd over loopback.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

class WsTestClient : public QObject
{
    Q_OBJECT
public:
    explicit WsTestClient(QObject *parent = nullptr);

    // Opens `url` with `origin` as the Origin header (none when empty). Waits for
    // the handshake to finish; true when connected.
    bool open(const QUrl &url, const QByteArray &origin, int timeoutMs = 5000);
    // Sends `authenticate` with `token` (and `resume` when not empty, and the v2
    // `resume_ev` when not empty) and waits for `connected`; returns it (empty
    // object on failure).
    QJsonObject authenticate(const QString &token, const QJsonObject &resume = {},
                             bool withResume = false, const QJsonObject &resumeEv = {});

    void sendJson(const QJsonObject &frame);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);

    // Removes and returns the first received frame of `type`, waiting up to
    // `timeoutMs` for it to arrive. Empty object on timeout.
    QJsonObject take(const QString &type, int timeoutMs = 5000);
    // True if a frame of `type` has arrived (and not been taken); does not wait.
    bool has(const QString &type) const;
    // Waits until the socket is closed; true if it closed within the timeout.
    bool waitClosed(int timeoutMs = 5000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    QList<QJsonObject> frames() const { return m_frames; }
    void clearFrames() { m_frames.clear(); }
    QWebSocket &socket() { return m_socket; }

Q_SIGNALS:
    void frameArrived();

private:
    bool waitFor(const std::function<bool()> &condition, int timeoutMs);

    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
    int m_closeCode = -1;
    QString m_closeReason;
    bool m_closed = false;
};
