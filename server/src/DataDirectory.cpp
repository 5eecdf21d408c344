#include "DataDirectory.h"

#include "ServerLog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace Natter::Server {

namespace {

// Sets `mode` on `path`; true when it already had it or now has it. A file
// that does not exist is fine (the -wal and -shm come and go).
bool tighten(const QString &path, mode_t mode, QString *error)
{
    const QByteArray native = QFile::encodeName(path);
    struct stat st
    {
    };
    if (::stat(native.constData(), &st) != 0)
        return errno == ENOENT;
    if ((st.st_mode & 07777) == mode)
        return true;
    if (::chmod(native.constData(), mode) != 0) {
        *error = QCoreApplication::translate("DataDirectory", "cannot restrict %1: %2")
                     .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    qCInfo(lcServerStore).noquote().nospace()
        << "event=permissions_fixed path=" << ServerLog::value(path)
        << " mode=" << QString::number(mode, 8);
    return true;
}

} // namespace

QString DataDirectory::databasePath(const QString &dir)
{
    return dir + QStringLiteral("/natterd.sqlite");
}

bool DataDirectory::prepare(const QString &dir, QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = QCoreApplication::translate("DataDirectory", "cannot create the data directory %1")
                     .arg(dir);
        return false;
    }
    if (!tighten(dir, 0700, error))
        return false;
    const QString db = databasePath(dir);
    for (const QString &path : {db, db + QStringLiteral("-wal"), db + QStringLiteral("-shm")}) {
        if (!tighten(path, 0600, error))
            return false;
    }
    return true;
}

} // namespace Natter::Server
