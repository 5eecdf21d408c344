#include "store/postgres/PgConnInfo.h"

#include <QCoreApplication>
#include <QUrl>
#include <QUrlQuery>

namespace Natter::Server::PgConnInfo {

namespace {

QString quoted(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

QString refusePassword(QString *error)
{
    *error = QCoreApplication::translate(
        "PgConnInfo",
        "the PostgreSQL connection string must not contain the password; use "
        "--postgres-password-file, PGPASSWORD or PGPASSFILE");
    return {};
}

QString fromUri(const QString &conninfo, QString *error)
{
    const QUrl url(conninfo, QUrl::StrictMode);
    if (!url.isValid()) {
        *error = QCoreApplication::translate("PgConnInfo", "cannot read the PostgreSQL URI");
        return {};
    }
    if (!url.password().isEmpty())
        return refusePassword(error);
    QStringList parts;
    if (!url.host().isEmpty())
        parts << QStringLiteral("host=") + quoted(url.host());
    if (url.port() > 0)
        parts << QStringLiteral("port=%1").arg(url.port());
    if (!url.userName().isEmpty())
        parts << QStringLiteral("user=") + quoted(url.userName());
    const QString db = url.path().mid(1);
    if (!db.isEmpty())
        parts << QStringLiteral("dbname=") + quoted(db);
    for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (key == u"password")
            return refusePassword(error);
        parts << key + QLatin1Char('=') + quoted(value);
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace

QString toKeywords(const QString &conninfo, QString *error)
{
    const QString trimmed = conninfo.trimmed();
    if (trimmed.startsWith(QLatin1String("postgresql://"))
        || trimmed.startsWith(QLatin1String("postgres://")))
        return fromUri(trimmed, error);
    // key = value pairs, values bare or single-quoted with backslash escapes
    // (libpq's syntax); re-emitted quoted, so QPSQL passes them on unchanged.
    QStringList parts;
    qsizetype i = 0;
    const qsizetype n = trimmed.size();
    while (i < n) {
        while (i < n && trimmed[i].isSpace())
            ++i;
        if (i >= n)
            break;
        const qsizetype keyStart = i;
        while (i < n && trimmed[i] != u'=' && !trimmed[i].isSpace())
            ++i;
        const QString key = trimmed.mid(keyStart, i - keyStart);
        while (i < n && trimmed[i].isSpace())
            ++i;
        if (key.isEmpty() || i >= n || trimmed[i] != u'=') {
            *error = QCoreApplication::translate(
                "PgConnInfo", "cannot read the PostgreSQL connection string (key=value ...)");
            return {};
        }
        ++i;
        while (i < n && trimmed[i].isSpace())
            ++i;
        QString value;
        if (i < n && trimmed[i] == u'\'') {
            ++i;
            while (i < n && trimmed[i] != u'\'') {
                if (trimmed[i] == u'\\' && i + 1 < n)
                    ++i;
                value += trimmed[i++];
            }
            if (i >= n) {
                *error = QCoreApplication::translate(
                    "PgConnInfo", "unterminated quote in the PostgreSQL connection string");
                return {};
            }
            ++i;
        } else {
            while (i < n && !trimmed[i].isSpace())
                value += trimmed[i++];
        }
        if (key == u"password")
            return refusePassword(error);
        parts << key + QLatin1Char('=') + quoted(value);
    }
    if (parts.isEmpty()) {
        *error = QCoreApplication::translate("PgConnInfo", "empty PostgreSQL connection string");
        return {};
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace Natter::Server::PgConnInfo
