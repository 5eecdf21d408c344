#include "BenchClient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

BenchClient::BenchClient(const QUrl &wsUrl, const QByteArray &origin, const QString &token,
                         QObject *parent)
    : QObject(parent)
    , m_url(wsUrl)
    , m_origin(origin)
    , m_token(token)
{
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_socket.sendTextMessage(QString::fromUtf8(
            QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("authenticate")},
                                      {QStringLiteral("token"), m_token}})
                .toJson(QJsonDocument::Compact)));
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        if (!m_ready) {
            const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
            if (o.value(QStringLiteral("type")).toString() == u"connected") {
                m_ready = true;
                Q_EMIT ready(this, o);
            } else {
                Q_EMIT failed(this);
            }
            return;
        }
        Q_EMIT frame(this, text);
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        if (!m_ready)
            Q_EMIT failed(this);
    });
}

void BenchClient::open()
{
    QNetworkRequest request(m_url);
    request.setRawHeader("Origin", m_origin);
    m_socket.open(request);
}

QString BenchClient::login(QNetworkAccessManager &nam, const QUrl &base, const QString &user,
                           const QString &password, QString *userId)
{
    QUrl url = base;
    url.setPath(QStringLiteral("/api/v1/auth/login"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply =
        nam.post(request,
                 QJsonDocument(QJsonObject{{QStringLiteral("username"), user},
                                           {QStringLiteral("password"), password}})
                     .toJson(QJsonDocument::Compact));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    if (userId)
        *userId = o.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    return o.value(QStringLiteral("access_token")).toString();
}
