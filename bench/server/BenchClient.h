// Shared pieces of the load tools: login over HTTP, and an authenticated
// WebSocket that reports every text frame.
#pragma once

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

class BenchClient : public QObject
{
    Q_OBJECT
public:
    BenchClient(const QUrl &wsUrl, const QByteArray &origin, const QString &token,
                QObject *parent = nullptr);
    void open();
    QWebSocket &socket() { return m_socket; }
    bool isReady() const { return m_ready; }

    // Blocking login helper (event loop inside); returns the access token.
    static QString login(QNetworkAccessManager &nam, const QUrl &base, const QString &user,
                         const QString &password, QString *userId = nullptr);

Q_SIGNALS:
    void ready(BenchClient *client, const QJsonObject &connected);
    void failed(BenchClient *client);
    void frame(BenchClient *client, const QString &text);

private:
    QUrl m_url;
    QByteArray m_origin;
    QString m_token;
    QWebSocket m_socket;
    bool m_ready = false;
};
