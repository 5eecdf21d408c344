#include "ServerLog.h"

#include <QDateTime>

#include <algorithm>

#include <cstdio>

Q_LOGGING_CATEGORY(lcServer, "natter.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerHttp, "natter.server.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerWs, "natter.server.ws", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerStore, "natter.server.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerAuth, "natter.server.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerFiles, "natter.server.files", QtInfoMsg)

namespace Natter::Server {

namespace {

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &msg)
{
    const QByteArray ts = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8();
    const char *cat = context.category ? context.category : "default";
    // One line per record, whatever the message: no control character from a
    // peer (CR, LF, ESC...) reaches the log raw, even through a Qt message.
    QByteArray text = ServerLog::escapeControls(msg).toUtf8();
    // Lines that do not already say which event they are get a generic one.
    if (!text.startsWith("event="))
        text = "event=message msg=" + ServerLog::value(QString::fromUtf8(text)).toUtf8();
    std::fprintf(stderr, "ts=%s level=%s cat=%s %s\n", ts.constData(), levelName(type), cat,
                 text.constData());
    std::fflush(stderr);
}

} // namespace

void ServerLog::install(const QString &level)
{
    qInstallMessageHandler(handler);
    QString rules;
    if (level == u"debug")
        rules = QStringLiteral("natter.server*.debug=true");
    else if (level == u"warning")
        rules = QStringLiteral("natter.server*.info=false\nnatter.server*.debug=false");
    else if (level == u"error")
        rules = QStringLiteral(
            "natter.server*.warning=false\nnatter.server*.info=false\nnatter.server*.debug=false");
    if (!rules.isEmpty())
        QLoggingCategory::setFilterRules(rules);
}

namespace {
bool isControl(QChar c)
{
    return c.unicode() < 0x20 || c.unicode() == 0x7f;
}
} // namespace

QString ServerLog::escapeControls(const QString &raw)
{
    if (std::none_of(raw.cbegin(), raw.cend(), isControl))
        return raw;
    QString escaped;
    escaped.reserve(raw.size() + 8);
    for (const QChar c : raw) {
        if (isControl(c))
            escaped += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            escaped += c;
    }
    return escaped;
}

QString ServerLog::value(const QString &raw)
{
    bool plain = !raw.isEmpty();
    for (const QChar c : raw) {
        if (c.isSpace() || c == u'"' || c == u'=' || c == u'\\' || isControl(c)) {
            plain = false;
            break;
        }
    }
    if (plain)
        return raw;
    QString quoted = raw;
    quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    quoted.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + escapeControls(quoted) + QLatin1Char('"');
}

} // namespace Natter::Server
