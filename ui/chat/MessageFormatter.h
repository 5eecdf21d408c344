// Turns a message's plain text into safe rich text for display.
//
// Everything is HTML-escaped first, so a message can never inject markup, images
// or remote content. Then a small, predictable subset is recognised: **bold**,
// *italic*, `inline code` and http(s) links (clickable, shown as typed). Plain
// class, no event loop; used by MessageDelegate.
#pragma once

#include <QString>

namespace Natter {

class MessageFormatter
{
public:
    static QString toHtml(const QString &plainText);
};

} // namespace Natter
