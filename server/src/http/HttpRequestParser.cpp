#include "http/HttpRequestParser.h"

#include <QList>

namespace Natter::Server {

namespace {

constexpr int kBadRequest = 400;
constexpr int kVersionNotSupported = 505;
// 18 digits always fit in qint64; a longer Content-Length is far over any limit anyway.
constexpr qsizetype kMaxLengthDigits = 18;

bool isTchar(char c)
{
    // RFC 9110 §5.6.2: token characters.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTchar(c))
            return false;
    }
    return true;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHex(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 9112 §3.2: visible ASCII only; a '%' must start a percent-encoding.
bool isValidTarget(QByteArrayView target)
{
    for (qsizetype i = 0; i < target.size(); ++i) {
        const auto c = uchar(target[i]);
        if (c <= 0x20 || c >= 0x7f)
            return false;
        if (c == '%' && (i + 2 >= target.size() || !isHex(target[i + 1]) || !isHex(target[i + 2])))
            return false;
    }
    return true;
}

// RFC 9110 §5.5: field-content is VCHAR, SP, HTAB and obs-text. Everything else
// (NUL, CR, LF, other controls, DEL) is refused rather than stripped.
bool isValidFieldValue(QByteArrayView value)
{
    for (char ch : value) {
        const auto c = uchar(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimmedOws(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

// Content-Length = 1*DIGIT; a comma-separated list of equal values is the same
// length (RFC 9112 §6.3 allows accepting it). -1 when invalid or the values differ.
qint64 parseContentLength(QByteArrayView value)
{
    qint64 length = -1;
    for (const QByteArray &part : value.toByteArray().split(',')) {
        const QByteArrayView digits = trimmedOws(part);
        if (digits.isEmpty() || digits.size() > kMaxLengthDigits)
            return -1;
        qint64 parsed = 0;
        for (char c : digits) {
            if (!isDigit(c))
                return -1;
            parsed = parsed * 10 + (c - '0');
        }
        if (length >= 0 && parsed != length)
            return -1;
        length = parsed;
    }
    return length;
}

} // namespace

HttpRequestParser::Head HttpRequestParser::parse(QByteArrayView head)
{
    Head result;
    // Lines end in CRLF. A bare CR or LF stays inside its line, where every check
    // below refuses it (it is neither a token character nor field content).
    QList<QByteArrayView> lines;
    for (qsizetype start = 0;;) {
        const qsizetype end = head.indexOf(QByteArrayView("\r\n"), start);
        lines.append(head.sliced(start, (end < 0 ? head.size() : end) - start));
        if (end < 0)
            break;
        start = end + 2;
    }
    if (!parseRequestLine(lines.first(), result))
        return result;
    int hostCount = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (!addField(lines[i], result, hostCount))
            return result;
    }
    // RFC 9112 §3.2: a 1.1 request without exactly one Host is refused.
    if (!result.http10 && hostCount != 1) {
        result.error = kBadRequest;
        return result;
    }
    // RFC 9112 §6.1: both framings in one message is a smuggling attempt or a
    // broken proxy; chunked bodies are not supported anyway (HttpConnection: 411).
    if (result.hasTransferEncoding && result.hasContentLength)
        result.error = kBadRequest;
    return result;
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line, Head &head)
{
    // method SP request-target SP HTTP-version, single spaces (RFC 9112 §3).
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace) {
        head.error = kBadRequest;
        return false;
    }
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    head.request.method = method.toByteArray();

    QByteArrayView path = target;
    QByteArrayView query;
    // absolute-form (RFC 9112 §3.2.2): what a proxy may send; route on its path.
    if (target.startsWith("http://") || target.startsWith("https://")) {
        const qsizetype authority = target.indexOf("//") + 2;
        const qsizetype slash = target.indexOf('/', authority);
        path = slash < 0 ? QByteArrayView("/") : target.sliced(slash);
    }
    if (const qsizetype mark = path.indexOf('?'); mark >= 0) {
        query = path.sliced(mark + 1);
        path = path.first(mark);
    }
    head.request.path = QString::fromLatin1(path);
    head.logPath = QString::fromUtf8(QByteArray::fromPercentEncoding(path.toByteArray()));

    if (!isToken(method) || !isValidTarget(target) || !path.startsWith('/')) {
        head.error = kBadRequest;
        return false;
    }
    head.request.query = QUrlQuery(QString::fromLatin1(query));
    // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3); only 1.0 and 1.1 are spoken.
    if (version.size() != 8 || !version.startsWith("HTTP/") || !isDigit(version[5])
        || version[6] != '.' || !isDigit(version[7])) {
        head.error = kBadRequest;
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        head.error = kVersionNotSupported;
        return false;
    }
    head.http10 = version == "HTTP/1.0";
    return true;
}

bool HttpRequestParser::addField(QByteArrayView line, Head &head, int &hostCount)
{
    // obs-fold (a line starting with SP or HTAB) must be refused or unfolded
    // (RFC 9112 §5.2); a name must end right at its colon (§5.1).
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) {
        head.error = kBadRequest;
        return false;
    }
    const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
    if (!isValidFieldValue(value)) {
        head.error = kBadRequest;
        return false;
    }
    const QByteArray name = line.first(colon).toByteArray().toLower();
    if (name == "host") {
        ++hostCount;
    } else if (name == "content-length") {
        const qint64 length = parseContentLength(value);
        if (length < 0 || (head.hasContentLength && length != head.contentLength)) {
            head.error = kBadRequest;
            return false;
        }
        head.hasContentLength = true;
        head.contentLength = length;
    } else if (name == "transfer-encoding") {
        head.hasTransferEncoding = true;
    }
    // A repeated field is one list (RFC 9110 §5.3), e.g. several X-Forwarded-For.
    auto existing = head.request.headers.find(name);
    if (existing == head.request.headers.end())
        head.request.headers.insert(name, value.toByteArray());
    else
        *existing += ", " + value.toByteArray();
    return true;
}

} // namespace Natter::Server
