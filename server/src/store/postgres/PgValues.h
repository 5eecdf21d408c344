// How the PostgreSQL backend maps values to columns: NOT NULL text columns get ""
// for a null QString, times are UTC milliseconds since the epoch (0 or NULL =
// none). Shared by the per-aggregate Pg*Store classes.
#pragma once

#include <QDateTime>
#include <QString>

namespace Natter::Server::PgValues {

// A null QString binds as SQL NULL; NOT NULL text columns want "" instead.
inline QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

inline qint64 toMs(const QDateTime &dt)
{
    return dt.isValid() ? dt.toMSecsSinceEpoch() : 0;
}

inline QDateTime fromMs(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

} // namespace Natter::Server::PgValues
