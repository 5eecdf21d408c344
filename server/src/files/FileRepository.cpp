#include "files/FileRepository.h"

#include "RandomId.h"
#include "ServerLog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStorageInfo>

namespace Natter::Server {

FileRepository::FileRepository(const QString &root, const QString &temporaryDir)
    : m_root(root)
    , m_temporary(root + u'/' + temporaryDir)
{ }

bool FileRepository::prepare(QString *error)
{
    QDir dir;
    const QString tmp = m_temporary;
    if (!dir.mkpath(tmp)) {
        *error = QCoreApplication::translate("FileRepository", "cannot create %1").arg(tmp);
        return false;
    }
    const auto owner = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
    QFile::setPermissions(m_root, owner);
    QFile::setPermissions(m_root + QStringLiteral("/tmp"), owner);
    QFile::setPermissions(tmp, owner);
    // Uploads a previous run did not finish: nobody will ever finish them.
    for (const QString &name : QDir(tmp).entryList(QDir::Files | QDir::Hidden))
        QFile::remove(tmp + u'/' + name);
    return true;
}

bool FileRepository::isValidId(const QString &id)
{
    if (id.size() != 32)
        return false;
    for (const QChar c : id) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

QString FileRepository::pathOf(const QString &id) const
{
    return m_root + u'/' + id.left(2) + u'/' + id.mid(2, 2) + u'/' + id;
}

QString FileRepository::thumbnailPathOf(const QString &id) const
{
    return pathOf(id) + QStringLiteral(".thumb");
}

QString FileRepository::newTemporaryPath() const
{
    return m_temporary + u'/' + RandomId::hex(16) + QStringLiteral(".part");
}

bool FileRepository::place(const QString &temporaryPath, const QString &id)
{
    const QString target = pathOf(id);
    if (!QDir().mkpath(QFileInfo(target).path()))
        return false;
    return QFile::rename(temporaryPath, target);
}

void FileRepository::remove(const QStringList &ids)
{
    for (const QString &id : ids) {
        if (!isValidId(id))
            continue;
        QFile::remove(pathOf(id));
        QFile::remove(thumbnailPathOf(id));
        qCInfo(lcServerFiles).noquote().nospace() << "event=file_removed id=" << id;
    }
}

qint64 FileRepository::bytesAvailable() const
{
    const QStorageInfo info(m_root);
    return info.isValid() ? info.bytesAvailable() : -1;
}

} // namespace Natter::Server
