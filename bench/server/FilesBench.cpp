#include "FilesBench.h"

#include "BenchServer.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cstdio>

FilesBench::FilesBench(BenchServer *server, int megabytes, int rounds, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_megabytes(megabytes)
    , m_rounds(rounds)
{ }

qint64 FilesBench::transfer(QNetworkReply *reply, qint64 *peakKiB, bool drain)
{
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer sampler;
    sampler.setInterval(5);
    QObject::connect(&sampler, &QTimer::timeout,
                     [&] { *peakKiB = std::max(*peakKiB, m_server->rssKiB()); });
    // Downloads are read and dropped as they come: the client holds none of it.
    if (drain)
        QObject::connect(reply, &QNetworkReply::readyRead, [reply] { reply->readAll(); });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    sampler.start();
    if (!reply->isFinished())
        loop.exec();
    return clock.elapsed();
}

int FilesBench::run()
{
    const QUrl base = m_server->httpUrl();
    const auto call = [&](QNetworkReply *reply) {
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        return QJsonDocument::fromJson(body).object();
    };
    QNetworkRequest login(base.resolved(QUrl(QStringLiteral("/api/v1/auth/login"))));
    login.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QByteArray token =
        call(m_nam.post(login, QByteArrayLiteral(R"({"username":"sender","password":"pw"})")))
            .value(QStringLiteral("access_token"))
            .toString()
            .toUtf8();
    QNetworkRequest list(base.resolved(QUrl(QStringLiteral("/api/v1/channels"))));
    list.setRawHeader("Authorization", "Bearer " + token);
    const QString channel = call(m_nam.get(list))
                                .value(QStringLiteral("channels"))
                                .toArray()
                                .first()
                                .toObject()
                                .value(QStringLiteral("id"))
                                .toString();
    if (token.isEmpty() || channel.isEmpty()) {
        std::fprintf(stderr, "login or channel lookup failed\n");
        return 1;
    }
    const QByteArray payload(qsizetype(m_megabytes) * 1024 * 1024, 'z');
    const qint64 idleKiB = m_server->rssKiB();
    qint64 upPeak = idleKiB;
    qint64 downPeak = idleKiB;
    QList<double> up;
    QList<double> down;
    for (int round = 0; round < m_rounds; ++round) {
        QUrl url = base.resolved(QUrl(QStringLiteral("/api/v1/files")));
        url.setQuery(QStringLiteral("channel=%1&name=bench.bin").arg(channel));
        QNetworkRequest post(url);
        post.setRawHeader("Authorization", "Bearer " + token);
        post.setHeader(QNetworkRequest::ContentTypeHeader,
                       QByteArrayLiteral("application/octet-stream"));
        QNetworkReply *reply = m_nam.post(post, payload);
        const qint64 upMs = transfer(reply, &upPeak, false);
        const QJsonObject file = QJsonDocument::fromJson(reply->readAll()).object();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        const QString id =
            file.value(QStringLiteral("file")).toObject().value(QStringLiteral("id")).toString();
        if (status != 201 || id.isEmpty()) {
            std::fprintf(stderr, "upload failed: HTTP %d\n", status);
            return 1;
        }
        QNetworkRequest get(base.resolved(QUrl(QStringLiteral("/api/v1/files/") + id)));
        get.setRawHeader("Authorization", "Bearer " + token);
        reply = m_nam.get(get);
        const qint64 downMs = transfer(reply, &downPeak, true);
        reply->deleteLater();
        up << m_megabytes * 1000.0 / std::max<qint64>(1, upMs);
        down << m_megabytes * 1000.0 / std::max<qint64>(1, downMs);
    }
    std::sort(up.begin(), up.end());
    std::sort(down.begin(), down.end());
    std::printf("files: %d MiB x %d rounds; upload median %.0f MiB/s (min %.0f), download median "
                "%.0f MiB/s (min %.0f); natterd RSS idle %lld KiB, peak during uploads %lld KiB "
                "(+%lld), during downloads %lld KiB (+%lld)\n",
                m_megabytes, m_rounds, up.at(up.size() / 2), up.first(), down.at(down.size() / 2),
                down.first(), idleKiB, upPeak, upPeak - idleKiB, downPeak, downPeak - idleKiB);
    return 0;
}
