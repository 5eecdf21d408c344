// Takes a request body piece by piece as it arrives, for the one route whose
// bodies may be far larger than HttpConnection buffers (§9 uploads).
//
// A streaming route's handler sees the request head before any body byte is
// read and either answers at once (the body is then never read) or returns a
// receiver. HttpConnection owns the receiver: it hands it every piece, calls
// finish() once Content-Length bytes arrived, and destroys it when the
// connection goes; a receiver destroyed before finish() throws away what it
// got. The receiver answers through the Responder its handler was given.
#pragma once

#include <QByteArrayView>

namespace Natter::Server {

class HttpBodyReceiver
{
public:
    virtual ~HttpBodyReceiver() = default;
    // The next piece of the body. False: stop reading (the receiver answered).
    virtual bool write(QByteArrayView piece) = 0;
    // The whole body arrived.
    virtual void finish() = 0;
};

} // namespace Natter::Server
