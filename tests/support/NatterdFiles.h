// §9 files through natterd's own HTTP and WebSocket API, for client tests that
// need a message with files without depending on the client's upload code:
// log in, find a channel's id, upload bytes (POST /api/v1/files) and send a
// message carrying them (`send.attachments`). Every call talks to the real
// natterd and waits for its answer on the event loop (never a sleep).
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

class QWebSocket;

class NatterdFiles
{
public:
    NatterdFiles(const QUrl &httpUrl, const QByteArray &origin);

    // An access token for `username` (empty on failure).
    QString login(const QString &username, const QString &password);
    // The id of channel `name` as `token`'s user sees it (empty: not found).
    QString channelId(const QString &token, const QString &name);
    // §9 `F` of the uploaded file (empty on failure; error() says why).
    QJsonObject upload(const QString &token, const QString &channel, const QString &name,
                       const QByteArray &bytes);
    // Sends a message with `fileIds` attached over a WebSocket of its own and
    // returns the stored message `M` from the ack (empty on failure).
    QJsonObject sendWithFiles(const QString &token, const QString &channel, const QString &text,
                              const QStringList &fileIds);
    QString error() const { return m_error; }

    // A PNG of `width`×`height` drawn here (stripes of colour), for tests that
    // need an image nobody downloaded.
    static QByteArray pngBytes(int width, int height);

private:
    // Opens a WebSocket, authenticates with `token` and hands every frame to
    // `onFrame` until it returns true (or 20 s pass). True when it did.
    bool session(const QString &token,
                 const std::function<bool(QWebSocket &, const QJsonObject &)> &onFrame);

    QUrl m_url;
    QByteArray m_origin;
    QNetworkAccessManager m_http;
    QString m_error;
};
