// The wording of §7 system messages ("alice joined", "bob renamed the channel
// to #x") in the user's language, shared by the desktop's MessageListModel and
// natter-cli's EventFormatter so both say the same thing. Stateless; callers
// pass how they name a user id (display name on the desktop, username in the
// CLI).
#pragma once

#include "protocol/Types.h"

#include <QCoreApplication>
#include <QString>

#include <functional>

namespace Natter {

class SystemMessageText
{
    Q_DECLARE_TR_FUNCTIONS(SystemMessageText)

public:
    using NameOf = std::function<QString(const QString &userId)>;

    // The sentence for a system message; empty for a person's message.
    static QString text(const Message &message, const NameOf &nameOf);
};

} // namespace Natter
