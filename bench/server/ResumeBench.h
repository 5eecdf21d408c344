// Resume of many changed messages (§6 `resume_ev`): a writer sends N messages, a
// reader takes note of the channel's last_seq/last_ev and leaves, the writer edits
// all N, and the reader comes back with `resume` + `resume_ev`. Measures the time
// from sending `authenticate` to receiving `resumed` (N `message_updated` frames in
// between), over several rounds. Then times `history` pages of 200 messages.
#pragma once

#include <QObject>

class BenchServer;

class ResumeBench : public QObject
{
    Q_OBJECT
public:
    ResumeBench(BenchServer *server, int messages, int rounds, QObject *parent = nullptr);
    int run(); // prints the result; returns the exit code

private:
    BenchServer *m_server;
    int m_messages;
    int m_rounds;
};
