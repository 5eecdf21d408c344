// The files aggregate of natterd's storage (§9): what is known about each
// uploaded file (its bytes live on disk, see files/FileRepository), which
// channel it was uploaded for and by whom, and the message it is attached to.
//
// An interface; ChatStore inherits it (virtually, so a backend may implement
// each aggregate in a class of its own, as store/sqlite does).
#pragma once

#include "store/StoreResult.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace Natter::Server {

// §9 F, plus who uploaded it where, and what it is attached to.
struct StoredFile
{
    QString id;
    QString channel;
    QString uploader;
    QString name; // a safe base name, at most 255 bytes of UTF-8
    qint64 size = 0;
    QString mime; // detected from the content
    int width = 0; // 0: not an image natterd could read
    int height = 0;
    bool thumbnail = false;
    QString messageId{}; // empty: not attached (yet)
    QDateTime createdAt{};
};

class FileStore
{
public:
    virtual ~FileStore() = default;

    // Stores a new, unattached file (createdAt as given). Conflict: the id exists.
    virtual StoreResult<void> addFile(const StoredFile &file) = 0;
    virtual StoreResult<StoredFile> fileById(const QString &id) = 0;
    // Attaches `ids` (in this order) to `messageId`, in the open batch. NotFound
    // when one of them is not an unattached file of `channelId` uploaded by
    // `uploader` (the caller checked them; nothing is attached then).
    virtual StoreResult<void> attachFiles(const QString &messageId, const QString &channelId,
                                          const QString &uploader, const QStringList &ids) = 0;
    // Ids of files never attached and created before `cutoff`, at most `limit`.
    virtual StoreResult<QStringList> unattachedBefore(const QDateTime &cutoff, int limit) = 0;
    // Forgets a file not attached to a message, uploaded by `uploader` unless
    // that is empty (its bytes on disk are the caller's to remove once
    // durable). NotFound when there is no such file: attaching it meanwhile
    // (another node's `send`) wins.
    virtual StoreResult<void> removeUnattachedFile(const QString &id, const QString &uploader) = 0;
    // The bytes of every file `uploader` uploaded that is still kept, attached
    // or not (a deleted message's files and swept uploads are gone): what
    // counts against the user's upload quota (FileHandlers). 0 for none.
    virtual StoreResult<qint64> storedBytesOf(const QString &uploader) = 0;
};

} // namespace Natter::Server
