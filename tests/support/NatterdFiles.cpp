#include "NatterdFiles.h"

#include <QBuffer>
#include <QEventLoop>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QPainter>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>
#include <QWebSocket>

#include <memory>

namespace {
constexpr int kTimeoutMs = 20000;

// Waits for `reply` to finish (or the timeout); true when it did.
bool finish(QNetworkReply *reply)
{
    if (reply->isFinished())
        return true;
    QEventLoop loop;
    QTimer::singleShot(kTimeoutMs, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    return reply->isFinished();
}

QNetworkRequest bearer(const QUrl &url, const QString &token)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    return request;
}
} // namespace

NatterdFiles::NatterdFiles(const QUrl &httpUrl, const QByteArray &origin)
    : m_url(httpUrl)
    , m_origin(origin)
{ }

QString NatterdFiles::login(const QString &username, const QString &password)
{
    QNetworkRequest request(m_url.resolved(QUrl(QStringLiteral("/api/v1/auth/login"))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply =
        m_http.post(request,
                    QJsonDocument(QJsonObject{{QStringLiteral("username"), username},
                                              {QStringLiteral("password"), password}})
                        .toJson(QJsonDocument::Compact));
    const std::unique_ptr<QNetworkReply> owned(reply); // not deleteLater: no loop runs yet
    if (!finish(reply))
        return {};
    return QJsonDocument::fromJson(reply->readAll())
        .object()
        .value(QStringLiteral("access_token"))
        .toString();
}

QString NatterdFiles::channelId(const QString &token, const QString &name)
{
    // The channels the user is in, as natterd's `connected` snapshot lists them.
    QString id;
    session(token, [&](QWebSocket &, const QJsonObject &frame) {
        if (frame.value(QStringLiteral("type")).toString() != u"connected")
            return false;
        for (const QJsonValue &c : frame.value(QStringLiteral("channels")).toArray()) {
            if (c.toObject().value(QStringLiteral("name")).toString() == name)
                id = c.toObject().value(QStringLiteral("id")).toString();
        }
        return true;
    });
    return id;
}

bool NatterdFiles::session(const QString &token,
                           const std::function<bool(QWebSocket &, const QJsonObject &)> &onFrame)
{
    QWebSocket socket;
    QNetworkRequest request(
        QUrl(m_url.toString().replace(QStringLiteral("http"), QStringLiteral("ws"))
             + QStringLiteral("/ws")));
    request.setRawHeader("Origin", m_origin);
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    bool done = false;
    QObject::connect(&socket, &QWebSocket::connected, &loop, [&] {
        socket.sendTextMessage(QString::fromUtf8(
            QJsonDocument(
                QJsonObject{{QStringLiteral("type"), QStringLiteral("authenticate")},
                            {QStringLiteral("token"), token},
                            {QStringLiteral("client"),
                             QJsonObject{{QStringLiteral("name"), QStringLiteral("test")},
                                         {QStringLiteral("version"), QStringLiteral("0")}}}})
                .toJson(QJsonDocument::Compact)));
    });
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &loop, [&](const QString &text) {
        if (onFrame(socket, QJsonDocument::fromJson(text.toUtf8()).object())) {
            done = true;
            loop.quit();
        }
    });
    socket.open(request);
    timeout.start(kTimeoutMs);
    loop.exec();
    if (!done && m_error.isEmpty())
        m_error = QStringLiteral("no answer on the WebSocket: %1").arg(socket.errorString());
    socket.close();
    return done;
}

QJsonObject NatterdFiles::upload(const QString &token, const QString &channel, const QString &name,
                                 const QByteArray &bytes)
{
    QUrl url = m_url.resolved(QUrl(QStringLiteral("/api/v1/files")));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("channel"), channel);
    query.addQueryItem(QStringLiteral("name"), QString::fromLatin1(QUrl::toPercentEncoding(name)));
    url.setQuery(query);
    QNetworkRequest request = bearer(url, token);
    // Plain HTTP/1.1, as natterd speaks it (no h2c upgrade offer with the body).
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QStringLiteral("application/octet-stream"));
    QNetworkReply *reply = m_http.post(request, bytes);
    const std::unique_ptr<QNetworkReply> owned(reply); // not deleteLater: no loop runs yet
    if (!finish(reply)) {
        m_error = QStringLiteral("upload timed out");
        return {};
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status != 201) {
        m_error = QStringLiteral("upload answered %1: %2").arg(status).arg(QString::fromUtf8(body));
        return {};
    }
    return QJsonDocument::fromJson(body).object().value(QStringLiteral("file")).toObject();
}

QJsonObject NatterdFiles::sendWithFiles(const QString &token, const QString &channel,
                                        const QString &text, const QStringList &fileIds)
{
    QJsonObject stored;
    const QString ref = QUuid::createUuid().toString(QUuid::WithoutBraces);
    session(token, [&](QWebSocket &socket, const QJsonObject &frame) {
        const QString type = frame.value(QStringLiteral("type")).toString();
        if (type == u"resumed") {
            socket.sendTextMessage(QString::fromUtf8(
                QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("send")},
                                          {QStringLiteral("ref"), ref},
                                          {QStringLiteral("channel"), channel},
                                          {QStringLiteral("client_msg_id"),
                                           QUuid::createUuid().toString(QUuid::WithoutBraces)},
                                          {QStringLiteral("text"), text},
                                          {QStringLiteral("attachments"),
                                           QJsonArray::fromStringList(fileIds)}})
                    .toJson(QJsonDocument::Compact)));
            return false;
        }
        if (type == u"ack" && frame.value(QStringLiteral("ref")).toString() == ref) {
            stored = frame.value(QStringLiteral("message")).toObject();
            return true;
        }
        if (type == u"error" && frame.value(QStringLiteral("ref")).toString() == ref) {
            m_error = QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact));
            return true;
        }
        return false;
    });
    return stored;
}

QByteArray NatterdFiles::pngBytes(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    QPainter painter(&image);
    const QColor colours[] = {QColor(0x2e, 0x86, 0xc1), QColor(0xf3, 0x9c, 0x12),
                              QColor(0x27, 0xae, 0x60), QColor(0xc0, 0x39, 0x2b)};
    for (int i = 0; i < 4; ++i)
        painter.fillRect(QRect(i * width / 4, 0, width / 4 + 1, height), colours[i]);
    painter.setPen(Qt::white);
    painter.drawEllipse(QPoint(width / 2, height / 2), width / 5, height / 5);
    painter.end();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}
