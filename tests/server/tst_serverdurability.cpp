// Durability and lifecycle of the real natterd: a clean restart keeps every
// message, account and token; acked messages survive kill -9; SIGTERM closes
// sockets with 1001 and exits 0; the signing secret is private; and the log never
// contains a password, a token or a message text; a commit the disk refuses is
// not acked, not fanned out, and loses nothing the client sends again; an
// edit, reaction or delete the disk refuses is answered as one to send again;
// a logout the disk refuses is answered 503, not 204.
#include "FullDisk.h"
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QtTest>

class tst_ServerDurability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void signingSecretIsPrivate();
    void sigtermClosesWith1001AndExitsZero();
    void restartKeepsEverything();
    void ackedMessagesSurviveKill9();
    void aCommitTheDiskRefusesIsNotAcked();
    void aChangeTheDiskRefusesIsToBeSentAgain();
    void aChannelTheDiskRefusesIsNotCreated();
    void aLogoutTheDiskRefusesIsNotReportedDone();
    void aReuseTheDiskRefusesToRevokeIsCaughtAgain();
    void logHasNoSecretsOrText();

private:
    // Signs alice in over HTTP (her tokens join m_secrets); her access token.
    QString signIn();
    std::unique_ptr<WsTestClient> connectWith(const QString &token, QString *channel);
    QList<qint64> historySeqs(WsTestClient &c, const QString &channel, QStringList *texts);

    NatterdProcess m_server;
    QStringList m_secrets; // everything that must never appear in the log
};

void tst_ServerDurability::initTestCase()
{
    QVERIFY(m_server.addUser(u"alice"_qs, u"Sup3r-Secret-Pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_secrets << u"Sup3r-Secret-Pw"_qs;
}

QString tst_ServerDurability::signIn()
{
    HttpTestClient http(m_server.httpUrl());
    const HttpResult login = http.login(u"alice"_qs, u"Sup3r-Secret-Pw"_qs);
    const QString access = login.json[u"access_token"].toString();
    m_secrets << access << login.json[u"refresh_token"].toString();
    return access;
}

std::unique_ptr<WsTestClient> tst_ServerDurability::connectWith(const QString &token,
                                                                QString *channel)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server.wsUrl(), m_server.origin()))
        return nullptr;
    const QJsonObject connected = client->authenticate(token);
    if (connected.isEmpty())
        return nullptr;
    if (channel)
        *channel = connected[u"channels"][0][u"id"].toString();
    return client;
}

QList<qint64> tst_ServerDurability::historySeqs(WsTestClient &c, const QString &channel,
                                                QStringList *texts)
{
    c.sendJson({{u"type"_qs, u"history"_qs},
                {u"ref"_qs, u"all"_qs},
                {u"channel"_qs, channel},
                {u"limit"_qs, 200}});
    QList<qint64> seqs;
    for (const QJsonValue &m : c.take(u"history"_qs)[u"messages"].toArray()) {
        seqs << m[u"seq"].toInteger();
        if (texts)
            *texts << m[u"text"].toString();
    }
    return seqs;
}

void tst_ServerDurability::signingSecretIsPrivate()
{
    const QFileInfo secret(m_server.dataDir() + u"/signing-secret"_qs);
    QVERIFY(secret.exists());
    QCOMPARE(secret.permissions()
                 & ~(QFile::ReadUser | QFile::WriteUser | QFile::ReadOwner | QFile::WriteOwner),
             QFile::Permissions());
}

void tst_ServerDurability::sigtermClosesWith1001AndExitsZero()
{
    auto client = connectWith(signIn(), nullptr);
    QVERIFY(client);
    QCOMPARE(m_server.stop(), 0);
    QVERIFY(client->waitClosed());
    QCOMPARE(client->closeCode(), 1001);
    QVERIFY(m_server.restart());
}

void tst_ServerDurability::restartKeepsEverything()
{
    HttpTestClient http(m_server.httpUrl());
    const HttpResult login = http.login(u"alice"_qs, u"Sup3r-Secret-Pw"_qs);
    QCOMPARE(login.status, 200);
    const QString access = login.json[u"access_token"].toString();
    m_secrets << access << login.json[u"refresh_token"].toString();
    QString channel;
    auto client = connectWith(access, &channel);
    QVERIFY(client);
    QStringList sent;
    for (int i = 0; i < 5; ++i) {
        const QString text = QStringLiteral("restart-text-%1").arg(i);
        client->sendJson({{u"type"_qs, u"send"_qs},
                          {u"channel"_qs, channel},
                          {u"client_msg_id"_qs, QStringLiteral("r%1").arg(i)},
                          {u"text"_qs, text}});
        QVERIFY(!client->take(u"ack"_qs).isEmpty());
        sent << text;
        m_secrets << text;
    }
    QStringList before;
    const QList<qint64> seqsBefore = historySeqs(*client, channel, &before);
    client.reset();

    QCOMPARE(m_server.stop(), 0);
    QVERIFY(m_server.restart());

    // The access token is still valid (the signing secret persisted), the refresh
    // token still rotates, the password still works, every message is there.
    auto again = connectWith(access, &channel);
    QVERIFY(again);
    QStringList after;
    QCOMPARE(historySeqs(*again, channel, &after), seqsBefore);
    QCOMPARE(after, before);
    for (const QString &t : sent)
        QVERIFY(after.contains(t));
    HttpTestClient http2(m_server.httpUrl());
    QCOMPARE(http2
                 .postJson(u"/api/v1/auth/refresh"_qs,
                           {{u"refresh_token"_qs, login.json[u"refresh_token"]}})
                 .status,
             200);
    QCOMPARE(http2.login(u"alice"_qs, u"Sup3r-Secret-Pw"_qs).status, 200);
    // The idempotency key survives too.
    again->sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, channel},
                     {u"client_msg_id"_qs, u"r0"_qs},
                     {u"text"_qs, u"restart-text-0"_qs}});
    QCOMPARE(again->take(u"ack"_qs)[u"message"][u"seq"].toInteger(),
             seqsBefore.at(seqsBefore.size() - 5));
}

void tst_ServerDurability::ackedMessagesSurviveKill9()
{
    const QString access = signIn();
    QString channel;
    auto client = connectWith(access, &channel);
    QVERIFY(client);
    // A burst (one event-loop turn may hold several of them in one batch).
    constexpr int count = 30;
    for (int i = 0; i < count; ++i)
        client->sendJson({{u"type"_qs, u"send"_qs},
                          {u"channel"_qs, channel},
                          {u"client_msg_id"_qs, QStringLiteral("k%1").arg(i)},
                          {u"text"_qs, QStringLiteral("kill-text-%1").arg(i)}});
    QList<qint64> acked;
    for (int i = 0; i < count; ++i) {
        const QJsonObject ack = client->take(u"ack"_qs);
        QVERIFY(!ack.isEmpty());
        if (ack.isEmpty())
            qWarning() << m_server.log().right(3000);
        acked << ack[u"message"][u"seq"].toInteger();
    }
    // No chance to flush anything: every acked message must already be on disk.
    m_server.kill();
    client.reset();
    QVERIFY(m_server.restart());
    auto again = connectWith(access, &channel);
    QVERIFY(again);
    const QList<qint64> stored = historySeqs(*again, channel, nullptr);
    for (qint64 seq : acked)
        QVERIFY2(stored.contains(seq), qPrintable(QString::number(seq)));
    // Gapless from 1.
    for (int i = 0; i < stored.size(); ++i)
        QCOMPARE(stored[i], qint64(i + 1));
}

void tst_ServerDurability::aCommitTheDiskRefusesIsNotAcked()
{
    const QString access = signIn();
    QString channel;
    auto sender = connectWith(access, &channel);
    QVERIFY(sender);
    auto other = connectWith(access, nullptr); // alice's other device: gets the fan-out
    QVERIFY(other);
    const auto send = [&](const QString &clientMsgId, const QString &text) {
        sender->sendJson({{u"type"_qs, u"send"_qs},
                          {u"ref"_qs, clientMsgId},
                          {u"channel"_qs, channel},
                          {u"client_msg_id"_qs, clientMsgId},
                          {u"text"_qs, text}});
    };
    send(u"full-0"_qs, u"before the disk filled"_qs);
    const qint64 before = sender->take(u"ack"_qs)[u"message"][u"seq"].toInteger();
    QVERIFY(before > 0);
    QCOMPARE(other->take(u"message"_qs)[u"message"][u"seq"].toInteger(), before);

    // natterd's files may grow no more: its next commit fails, as on a full
    // disk (EFBIG instead of ENOSPC; natterd ignores SIGXFSZ, as PostgreSQL does).
    FullDisk full(m_server.pid());
    QVERIFY(full.active());
    send(u"full-1"_qs, u"while the disk is full"_qs);
    const QJsonObject error = sender->take(u"error"_qs);
    QVERIFY(full.end());
    // Not stored, and the client is told so in the code on which it keeps the
    // message and sends it again (§3), not with an ack.
    QCOMPARE(error[u"ref"].toString(), u"full-1"_qs);
    QCOMPARE(error[u"code"].toString(), u"rate_limited"_qs);
    QVERIFY(!sender->has(u"ack"_qs));

    // The client sends it again: stored once, with the next seq, and fanned
    // out once. (Had the failed attempt been fanned out, the other device
    // would get that seq twice before the next message.)
    send(u"full-1"_qs, u"while the disk is full"_qs);
    QCOMPARE(sender->take(u"ack"_qs)[u"message"][u"seq"].toInteger(), before + 1);
    send(u"full-2"_qs, u"after"_qs);
    QCOMPARE(sender->take(u"ack"_qs)[u"message"][u"seq"].toInteger(), before + 2);
    const QJsonObject resent = other->take(u"message"_qs);
    QCOMPARE(resent[u"message"][u"seq"].toInteger(), before + 1);
    QCOMPARE(resent[u"message"][u"text"].toString(), u"while the disk is full"_qs);
    QCOMPARE(other->take(u"message"_qs)[u"message"][u"seq"].toInteger(), before + 2);
    QTRY_VERIFY(m_server.log().contains("event=commit_failed"));
}

void tst_ServerDurability::aChangeTheDiskRefusesIsToBeSentAgain()
{
    const QString access = signIn();
    QString channel;
    auto client = connectWith(access, &channel);
    QVERIFY(client);
    client->sendJson({{u"type"_qs, u"send"_qs},
                      {u"ref"_qs, u"change-me"_qs},
                      {u"channel"_qs, channel},
                      {u"client_msg_id"_qs, u"change-me"_qs},
                      {u"text"_qs, u"to be changed"_qs}});
    const QString id = client->take(u"ack"_qs)[u"message"][u"id"].toString();
    QVERIFY(!id.isEmpty());
    const auto edit = [&](const QString &ref) {
        client->sendJson({{u"type"_qs, u"edit"_qs},
                          {u"ref"_qs, ref},
                          {u"channel"_qs, channel},
                          {u"id"_qs, id},
                          {u"text"_qs, u"changed"_qs}});
    };
    const auto react = [&](const QString &ref) {
        client->sendJson({{u"type"_qs, u"react"_qs},
                          {u"ref"_qs, ref},
                          {u"channel"_qs, channel},
                          {u"id"_qs, id},
                          {u"emoji"_qs, u"👍"_qs},
                          {u"on"_qs, true}});
    };
    const auto remove = [&](const QString &ref) {
        client->sendJson({{u"type"_qs, u"delete"_qs},
                          {u"ref"_qs, ref},
                          {u"channel"_qs, channel},
                          {u"id"_qs, id}});
    };

    // On a full disk none is stored, and each is answered with the code on
    // which clients keep the change and send it again, as a send (§3); an
    // answer that calls the change bad would make them give it up.
    FullDisk full(m_server.pid());
    QVERIFY(full.active());
    edit(u"edit-full"_qs);
    react(u"react-full"_qs);
    remove(u"delete-full"_qs);
    QList<QJsonObject> errors;
    for (int i = 0; i < 3; ++i)
        errors << client->take(u"error"_qs);
    QVERIFY(full.end());
    QStringList refs;
    for (const QJsonObject &error : std::as_const(errors)) {
        QCOMPARE(error[u"code"].toString(), u"rate_limited"_qs);
        refs << error[u"ref"].toString();
    }
    refs.sort();
    QCOMPARE(refs, (QStringList{u"delete-full"_qs, u"edit-full"_qs, u"react-full"_qs}));
    QVERIFY(!client->has(u"message_updated"_qs));

    // Sent again with room on the disk, each is made.
    edit(u"edit-again"_qs);
    QCOMPARE(client->take(u"message_updated"_qs)[u"message"][u"text"].toString(), u"changed"_qs);
    react(u"react-again"_qs);
    const QJsonObject reacted = client->take(u"message_updated"_qs);
    QCOMPARE(reacted[u"message"][u"reactions"].toArray().size(), 1);
    remove(u"delete-again"_qs);
    QVERIFY(client->take(u"message_updated"_qs)[u"message"][u"deleted"].toBool());
}

void tst_ServerDurability::aChannelTheDiskRefusesIsNotCreated()
{
    const QString access = signIn();
    auto client = connectWith(access, nullptr);
    QVERIFY(client);
    const auto create = [&](const QString &ref) {
        client->sendJson({{u"type"_qs, u"channel_create"_qs},
                          {u"ref"_qs, ref},
                          {u"name"_qs, u"made-on-a-full-disk"_qs},
                          {u"visibility"_qs, u"public"_qs}});
    };
    FullDisk full(m_server.pid());
    QVERIFY(full.active());
    create(u"create-full"_qs);
    const QJsonObject error = client->take(u"error"_qs);
    QVERIFY(full.end());
    QCOMPARE(error[u"ref"].toString(), u"create-full"_qs);
    // Retryable, not bad_request (which clients explain as a bad channel name).
    QCOMPARE(error[u"code"].toString(), u"rate_limited"_qs);
    QVERIFY(!client->has(u"channel"_qs));
    // The operator's log does not report a channel that was never stored.
    QVERIFY(!m_server.log().contains("event=channel_created"));

    // The name is free: the same frame again makes the channel, logged once.
    create(u"create-again"_qs);
    const QJsonObject created = client->take(u"channel"_qs);
    QCOMPARE(created[u"ref"].toString(), u"create-again"_qs);
    QCOMPARE(created[u"channel"][u"name"].toString(), u"made-on-a-full-disk"_qs);
    // The log reaches this process through a pipe, after the frame at times.
    QTRY_VERIFY(m_server.log().contains("event=channel_created"));
    QCOMPARE(m_server.log().count("event=channel_created"), 1);
}

void tst_ServerDurability::aLogoutTheDiskRefusesIsNotReportedDone()
{
    HttpTestClient http(m_server.httpUrl());
    const HttpResult login = http.login(u"alice"_qs, u"Sup3r-Secret-Pw"_qs);
    QCOMPARE(login.status, 200);
    const QString refresh = login.json[u"refresh_token"].toString();
    m_secrets << login.json[u"access_token"].toString() << refresh;

    FullDisk full(m_server.pid());
    QVERIFY(full.active());
    const HttpResult refused =
        http.postJson(u"/api/v1/auth/logout"_qs, {{u"refresh_token"_qs, refresh}});
    QVERIFY(full.end());
    // Not 204: the revocation was rolled back, and the token still works.
    QCOMPARE(refused.status, 503);
    const HttpResult rotated =
        http.postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, refresh}});
    QCOMPARE(rotated.status, 200);
    const QString next = rotated.json[u"refresh_token"].toString();
    m_secrets << rotated.json[u"access_token"].toString() << next;

    // Tried again with room on the disk: revoked.
    QCOMPARE(http.postJson(u"/api/v1/auth/logout"_qs, {{u"refresh_token"_qs, next}}).status, 204);
    QCOMPARE(http.postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, next}}).status, 401);
}

void tst_ServerDurability::aReuseTheDiskRefusesToRevokeIsCaughtAgain()
{
    HttpTestClient http(m_server.httpUrl());
    const HttpResult login = http.login(u"alice"_qs, u"Sup3r-Secret-Pw"_qs);
    QCOMPARE(login.status, 200);
    const QString spent = login.json[u"refresh_token"].toString();
    m_secrets << login.json[u"access_token"].toString() << spent;
    const auto refresh = [&](const QString &token) {
        const HttpResult r =
            http.postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, token}});
        if (r.status == 200)
            m_secrets << r.json[u"access_token"].toString() << r.json[u"refresh_token"].toString();
        return r;
    };
    const HttpResult rotated = refresh(spent);
    QCOMPARE(rotated.status, 200);
    const QString current = rotated.json[u"refresh_token"].toString();

    // A copy of the spent token comes back while the disk is full: the family
    // cannot be revoked, so the answer is not a final 401 (which would tell
    // the thief the session is dead while it still works).
    FullDisk full(m_server.pid());
    QVERIFY(full.active());
    const HttpResult refused = refresh(spent);
    QVERIFY(full.end());
    QCOMPARE(refused.status, 503);
    QTRY_VERIFY(m_server.log().contains("event=refresh_reuse_not_revoked"));

    // Presented again once the disk has room: caught, and the whole family
    // revoked, the current token with it.
    QCOMPARE(refresh(spent).status, 401);
    const HttpResult afterwards = refresh(current);
    QCOMPARE(afterwards.status, 401);
    QCOMPARE(afterwards.json[u"error"].toString(), u"invalid_grant"_qs);
}

void tst_ServerDurability::logHasNoSecretsOrText()
{
    const QByteArray log = m_server.log();
    QVERIFY(log.contains("event=listening"));
    QVERIFY(log.contains("event=ws_authenticated"));
    QVERIFY(log.size() > 1000);
    for (const QString &secret : std::as_const(m_secrets)) {
        QVERIFY(!secret.isEmpty());
        QVERIFY2(!log.contains(secret.toUtf8()), qPrintable(secret.left(12)));
    }
    QVERIFY(!log.contains("kill-text"));
    QVERIFY(!log.contains("restart-text"));
}

QTEST_GUILESS_MAIN(tst_ServerDurability)
#include "tst_serverdurability.moc"
