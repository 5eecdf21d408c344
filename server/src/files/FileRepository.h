// Where natterd keeps the bytes of uploaded files (§9): under the data
// directory's files/ (or `files_dir`), by id and never by the user's file name,
// fanned out over two levels so no directory grows huge:
//
//   files/ab/cd/abcd…          the file (id = 32 lowercase hex digits)
//   files/ab/cd/abcd….thumb    its thumbnail (PNG or JPEG), when it has one
//   files/tmp/<random>.part    uploads still arriving (emptied at every start)
//
// With several nodes sharing one `files_dir` (§12), each node keeps its
// arriving uploads in a directory of its own (files/tmp/node-<node id>/), so a
// node that starts empties only its own leftovers, never another node's
// uploads in flight; the finished ones are renamed into the shared tree.
//
// A finished upload is renamed into place (same file system), so a file under
// files/ab/ is always complete. Plain value class, owned by NatterServer;
// main thread only (the thumbnail maker only reads and writes paths it is given).
#pragma once

#include <QString>
#include <QStringList>

namespace Natter::Server {

class FileRepository
{
public:
    // `root`: the files directory; `temporaryDir`: where uploads arrive,
    // relative to it (on the same file system, so a rename places them).
    explicit FileRepository(const QString &root,
                            const QString &temporaryDir = QStringLiteral("tmp"));

    // Creates files/ and its temporary directory (0700) and deletes the
    // leftover partial uploads there.
    bool prepare(QString *error);
    static bool isValidId(const QString &id);
    QString pathOf(const QString &id) const;
    QString thumbnailPathOf(const QString &id) const;
    // A fresh path under files/tmp/ for an upload that is arriving.
    QString newTemporaryPath() const;
    // Moves a finished upload into place under `id`.
    bool place(const QString &temporaryPath, const QString &id);
    // Deletes the files (and thumbnails) of `ids`; missing ones are fine.
    void remove(const QStringList &ids);
    // Bytes free for natterd on the files' file system (-1 when unknown).
    qint64 bytesAvailable() const;
    QString root() const { return m_root; }

private:
    QString m_root; // <data dir>/files, or files_dir
    QString m_temporary; // m_root/tmp, or m_root/tmp/node-<id> on a shared root
};

} // namespace Natter::Server
