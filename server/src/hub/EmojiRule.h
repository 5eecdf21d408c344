// The §7/§13 rule for a reaction's `emoji`: 1–32 bytes of UTF-8 forming
// exactly one extended grapheme cluster (Qt's QTextBoundaryFinder::Grapheme,
// so skin tones, flags, ZWJ and tag sequences are one), with no whitespace and
// no control character (category Cc). Plain class of one static function.
#pragma once

#include <QString>

namespace Natter::Server {

class EmojiRule
{
public:
    static constexpr qsizetype kMaxBytes = 32;
    static bool isValid(const QString &emoji);
};

} // namespace Natter::Server
