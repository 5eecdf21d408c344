// One frame on its way to live connections, with what each connection needs to
// keep the contract's order (§5, §13): which channel it is about and, for a
// `message` or `message_updated`, the message's seq. Built by the hub, carried by
// the Fanout, judged per connection by DeliveryGate, written by ClientConnection.
#pragma once

#include "hub/WireFrame.h"

#include <QString>

namespace Natter::Server {

struct LiveFrame
{
    enum class Kind {
        Message, // `message`: at most once per seq and connection
        Ack, // `ack` to the sending connection: always sent (a repeat carries the new ref)
        Update, // `message_updated`: never before that message's own `message`/`ack`
        Channel, // `channel` (or anything else) telling the client a channel's last_seq
        Other, // typing, presence, read, ...
    };
    Kind kind = Kind::Other;
    QString channel;
    qint64 seq = 0; // the message's seq (Message, Ack, Update), the channel's last_seq (Channel)
    WireFrame frame; // the encoded frame, framed once for every receiver
    // The channel ev of a `message` (its creation) or `message_updated` (that
    // change), 0 for anything else: several nodes order and deduplicate by it (§12).
    qint64 ev = 0;
};

} // namespace Natter::Server
