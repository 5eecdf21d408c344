// A QTextDocument that never loads a resource. QTextDocument::loadResource reads
// local files (and asks its parent, e.g. a QTextBrowser, which reads them too) for
// any image or style sheet a document names; a message must never make the client
// touch the disk or the network ("Markdown, safely", issue 13). Every document that
// shows message text is one of these. It counts the requests it refused, so a test
// can see that a request was made and nothing came of it. Owned by whoever made it
// (MessageDelegate's cache, the read-only text view).
#pragma once

#include <QTextDocument>

namespace Natter {

class SafeTextDocument : public QTextDocument
{
    Q_OBJECT
public:
    explicit SafeTextDocument(QObject *parent = nullptr);

    // How many resources were asked for (and refused) so far.
    int refusedResources() const { return m_refused; }

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    int m_refused = 0;
};

} // namespace Natter
