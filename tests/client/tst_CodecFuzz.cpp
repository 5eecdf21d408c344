// Feeds the decoder a million mutated frames: byte flips, insertions, deletions,
// splices of two frames, truncations, and structural mutations that keep the
// JSON valid but put wrong types and odd values in every field. Nothing may
// crash, hang or throw; every frame decodes to an event or a DecodeError.
// The generator is seeded, so a failure reproduces (the seed is printed).
#include "protocol/Codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Natter;

namespace {
QList<QByteArray> corpus()
{
    const QByteArray m =
        R"({"id":"m1","channel":"c1","seq":7,"author":"u1","text":"hi","ts":"2026-11-21T19:43:33.327Z","client_msg_id":"x1"})";
    // §6 v2: every field of M, including the ones this client only tolerates.
    const QByteArray v2 =
        R"({"id":"m2","channel":"c1","seq":8,"author":"u1","text":"hi","ts":"2026-11-21T19:43:33.327Z","client_msg_id":null,)"
        R"("kind":"user","rev":3,"ev":12,"edited_at":"2026-11-21T20:00:00.000Z","deleted":false,)"
        R"("reply_to":{"id":"m1","seq":7,"author":"u2","excerpt":"x","deleted":false},"mentions":["u2"],)"
        R"("reactions":[{"emoji":"+1","count":1,"users":["u2"]}],"attachments":[{"id":"f","name":"a"}],)"
        R"("system":{"event":"joined","users":["u2"]}})";
    return {
        R"({"type":"message","message":)" + v2 + "}",
        R"({"type":"message_updated","change":"edit","ref":"r2","message":)" + v2 + "}",
        R"({"type":"message_updated","change":"delete","message":)" + v2 + "}",
        R"({"type":"resync","channel":"c1","reason":"too_many_changes"})",
        R"({"type":"connected","protocol":2,"user":{"id":"u1","admin":true},"channels":[{"id":"c1","last_seq":4,"last_ev":9}]})",
        R"({"type":"message","message":)" + m + "}",
        R"({"type":"ack","ref":"r1","client_msg_id":"x1","message":)" + m + "}",
        R"({"type":"history","ref":"r","channel":"c1","messages":[)" + m + "," + m
            + R"(],"has_more":true})",
        R"({"type":"typing","channel":"c","user":"u","state":"start","expires_in_ms":6000})",
        R"({"type":"presence","user":"u","status":"away","last_seen":"2026-11-21T19:00:00Z"})",
        R"({"type":"read","channel":"c","user":"u","seq":3})",
        R"({"type":"channel","ref":"r","channel":{"id":"d1","name":"","kind":"direct","members":["a","b"],"last_seq":0,"last_read_seq":0}})",
        R"({"type":"error","ref":"r","code":"too_large","message":"too long"})",
        R"({"type":"pong","ref":"p"})",
        R"({"type":"resumed"})",
        R"({"type":"auth_failed","reason":"invalid_token"})",
        R"({"type":"connected","user":{"id":"u1","username":"alice","display_name":"Alice"},"connection_id":"k","heartbeat_interval":20,"server_time":"2026-11-21T19:43:33.327Z","channels":[{"id":"c1","name":"general","kind":"channel","members":["u1","u2"],"last_seq":42,"last_read_seq":40}],"users":[{"id":"u2","username":"bob","display_name":"Bob","status":"online","last_seen":null}]})",
    };
}

QJsonValue oddValue(QRandomGenerator &rng)
{
    switch (rng.bounded(12)) {
    case 0:
        return QJsonValue();
    case 1:
        return QJsonValue(true);
    case 2:
        return QJsonValue(-1);
    case 3:
        return QJsonValue(1e308);
    case 4:
        return QJsonValue(0.5);
    case 5:
        return QJsonValue(QString());
    case 6:
        return QJsonValue(QString(3000, QChar(0x1F600 & 0xFFFF)));
    case 7:
        return QJsonArray{1, QStringLiteral("x"), QJsonObject()};
    case 8:
        return QJsonObject{{QStringLiteral("id"), 5}};
    case 9:
        return QJsonValue(9007199254740993.0);
    case 10:
        return QJsonValue(QStringLiteral("2026-13-45T99:99:99Z"));
    default:
        return QJsonValue(QStringLiteral("message"));
    }
}

// Replaces one value somewhere in the tree (depth-first, random path).
QJsonValue mutateTree(const QJsonValue &value, QRandomGenerator &rng, int depth = 0)
{
    if (depth > 0 && rng.bounded(4) == 0)
        return oddValue(rng);
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        if (o.isEmpty())
            return oddValue(rng);
        const QStringList keys = o.keys();
        const QString key = keys.at(rng.bounded(keys.size()));
        if (rng.bounded(8) == 0)
            o.remove(key);
        else
            o.insert(key, mutateTree(o.value(key), rng, depth + 1));
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        if (a.isEmpty())
            return oddValue(rng);
        const int i = int(rng.bounded(a.size()));
        a.replace(i, mutateTree(a.at(i), rng, depth + 1));
        return a;
    }
    return oddValue(rng);
}

QByteArray mutateBytes(QByteArray frame, const QList<QByteArray> &seeds, QRandomGenerator &rng)
{
    const int rounds = 1 + int(rng.bounded(4));
    for (int r = 0; r < rounds; ++r) {
        const qsizetype size = frame.size();
        const qsizetype pos = size ? qsizetype(rng.bounded(size)) : 0;
        switch (rng.bounded(7)) {
        case 0: // flip a bit
            if (size)
                frame[pos] = char(frame[pos] ^ (1 << rng.bounded(8)));
            break;
        case 1: // random byte
            if (size)
                frame[pos] = char(rng.bounded(256));
            break;
        case 2: // insert structural characters
            frame.insert(pos, "{}[]\",:\\0-e."[rng.bounded(12)]);
            break;
        case 3: // delete a range
            frame.remove(pos, qsizetype(rng.bounded(16)));
            break;
        case 4: // truncate
            frame.truncate(pos);
            break;
        case 5: { // splice with another frame
            const QByteArray &other = seeds.at(rng.bounded(seeds.size()));
            const qsizetype from = other.isEmpty() ? 0 : qsizetype(rng.bounded(other.size()));
            frame = frame.left(pos) + other.mid(from);
            break;
        }
        default: // duplicate a chunk
            frame.insert(pos, frame.mid(pos, qsizetype(rng.bounded(32))));
            break;
        }
    }
    return frame;
}
} // namespace

class tst_CodecFuzz : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void millionMutatedFrames();
};

void tst_CodecFuzz::millionMutatedFrames()
{
    const quint32 seed = qEnvironmentVariableIsSet("NATTER_FUZZ_SEED")
        ? quint32(qEnvironmentVariableIntValue("NATTER_FUZZ_SEED"))
        : QRandomGenerator::global()->generate();
    qInfo("seed %u (set NATTER_FUZZ_SEED to reproduce)", seed);
    QRandomGenerator rng(seed);
    const QList<QByteArray> seeds = corpus();
    QList<QJsonObject> seedObjects;
    for (const QByteArray &s : seeds)
        seedObjects.append(QJsonDocument::fromJson(s).object());

    constexpr int kFrames = 1'000'000;
    int decoded = 0;
    int errors = 0;
    for (int i = 0; i < kFrames; ++i) {
        const int which = int(rng.bounded(seeds.size()));
        QByteArray frame;
        if (i % 8 == 0) {
            // Valid JSON, wrong contents: reaches every field check.
            frame = QJsonDocument(mutateTree(seedObjects.at(which), rng).toObject())
                        .toJson(QJsonDocument::Compact);
        } else {
            frame = mutateBytes(seeds.at(which), seeds, rng);
        }
        const ServerEvent event = Codec::decode(QByteArrayView(frame));
        if (std::holds_alternative<DecodeError>(event))
            ++errors;
        else
            ++decoded;
    }
    QCOMPARE(decoded + errors, kFrames);
    // Both paths were exercised: the mutations are neither all harmless nor all fatal.
    QVERIFY2(decoded > 1000, qPrintable(QString::number(decoded)));
    QVERIFY2(errors > 100000, qPrintable(QString::number(errors)));
}

QTEST_GUILESS_MAIN(tst_CodecFuzz)
#include "tst_CodecFuzz.moc"
