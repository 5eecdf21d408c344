#include "SafeTextDocument.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSafeText, "natter.ui.text")

namespace Natter {

SafeTextDocument::SafeTextDocument(QObject *parent)
    : QTextDocument(parent)
{ }

QVariant SafeTextDocument::loadResource(int type, const QUrl &name)
{
    // Deliberately not the base implementation: it would read `name` from disk.
    ++m_refused;
    qCDebug(lcSafeText) << "refused to load a resource of type" << type << "scheme"
                        << name.scheme();
    return {};
}

} // namespace Natter
