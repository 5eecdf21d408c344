#include "WsTestClient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QTimer>

WsTestClient::WsTestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
        Q_EMIT frameArrived();
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        m_closeCode = int(m_socket.closeCode());
        m_closeReason = m_socket.closeReason();
        Q_EMIT frameArrived();
    });
    connect(&m_socket, &QWebSocket::connected, this, &WsTestClient::frameArrived);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &WsTestClient::frameArrived);
}

bool WsTestClient::waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    // The condition may consume a frame (take()), so it is evaluated until it
    // holds once, never again after that.
    if (condition())
        return true;
    bool satisfied = false;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &WsTestClient::frameArrived, &loop, [&] {
        if (!satisfied && condition()) {
            satisfied = true;
            loop.quit();
        }
    });
    timeout.start(timeoutMs);
    loop.exec();
    return satisfied;
}

bool WsTestClient::open(const QUrl &url, const QByteArray &origin, int timeoutMs)
{
    QNetworkRequest request(url);
    if (!origin.isEmpty())
        request.setRawHeader("Origin", origin);
    m_closed = false;
    m_socket.open(request);
    waitFor(
        [this] {
            return m_socket.state() == QAbstractSocket::ConnectedState || m_closed
                || m_socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

QJsonObject WsTestClient::authenticate(const QString &token, const QJsonObject &resume,
                                       bool withResume, const QJsonObject &resumeEv)
{
    QJsonObject frame{{QStringLiteral("type"), QStringLiteral("authenticate")},
                      {QStringLiteral("token"), token},
                      {QStringLiteral("client"),
                       QJsonObject{{QStringLiteral("name"), QStringLiteral("natter-test")},
                                   {QStringLiteral("version"), QStringLiteral("0.1.0")}}}};
    if (withResume || !resume.isEmpty())
        frame.insert(QStringLiteral("resume"), resume);
    if (!resumeEv.isEmpty())
        frame.insert(QStringLiteral("resume_ev"), resumeEv);
    sendJson(frame);
    return take(QStringLiteral("connected"));
}

void WsTestClient::sendJson(const QJsonObject &frame)
{
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void WsTestClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void WsTestClient::sendBinary(const QByteArray &data)
{
    m_socket.sendBinaryMessage(data);
}

bool WsTestClient::has(const QString &type) const
{
    for (const QJsonObject &f : m_frames) {
        if (f.value(QStringLiteral("type")).toString() == type)
            return true;
    }
    return false;
}

QJsonObject WsTestClient::take(const QString &type, int timeoutMs)
{
    QJsonObject found;
    waitFor(
        [&] {
            for (qsizetype i = 0; i < m_frames.size(); ++i) {
                if (m_frames[i].value(QStringLiteral("type")).toString() == type) {
                    found = m_frames.takeAt(i);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

bool WsTestClient::waitClosed(int timeoutMs)
{
    return waitFor([this] { return m_closed; }, timeoutMs);
}
