// A check both multi-node tests run (SQLite and PostgreSQL, §8 across nodes):
// u0 and a device of u2 on node 0, u1 and u2's other device on node 1. A
// channel event made on node 0 (channel_create, invite) reaches the newcomer's
// socket on node 1 with its system message, live, and the newcomer may send at
// once; a leave on node 0 reaches u2's device on node 1.
#pragma once

#include <QString>
#include <QStringList>

#include <memory>

class WsTestClient;

// The four sockets (a0: u0 on node 0, a2: u2 on node 0, b1: u1 on node 1,
// b2: u2 on node 1) and the ids of u1 and u2; `prefix` names the channels
// the check creates (unique per run). Fails the current test on a mismatch.
void checkChannelEventsAcrossNodes(WsTestClient &a0, WsTestClient &a2, WsTestClient &b1,
                                   WsTestClient &b2, const QString &u1Id, const QString &u2Id,
                                   const QString &prefix);
