// §9 file transfer on loopback: uploads and downloads a file of N MiB several
// times over natterd's HTTP API and reports the throughput of each direction and
// natterd's resident memory: idle before, and the highest sample (every 5 ms)
// while the bytes flow. Streaming means the peak stays within a few MiB of idle,
// whatever the file's size.
#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QObject>

class BenchServer;

class FilesBench : public QObject
{
    Q_OBJECT
public:
    FilesBench(BenchServer *server, int megabytes, int rounds, QObject *parent = nullptr);
    int run(); // prints the result; returns the exit code

private:
    // Runs `reply` to its end while sampling natterd's RSS; the elapsed ms.
    // `drain`: read and drop the answer as it comes (a download).
    qint64 transfer(class QNetworkReply *reply, qint64 *peakKiB, bool drain);

    BenchServer *m_server;
    int m_megabytes;
    int m_rounds;
    QNetworkAccessManager m_nam;
};
