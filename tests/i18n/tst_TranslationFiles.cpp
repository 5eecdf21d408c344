// The translation catalogues are complete and well formed.
//
// lupdate runs over the client sources (app/, ui/) into a *copy* of each .ts, so
// the repository's files are never touched; the copy must then hold no
// unfinished entry (a string missing or untranslated), no vanished or obsolete
// one (a string the code no longer has). The committed files are also checked
// for the mistakes lrelease lets through: a lost %1, a lost mnemonic, a wrong
// number of plural forms.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Entry
{
    QString context;
    QString source;
    QString type; // translation type: "", unfinished, vanished, obsolete
    bool numerus = false;
    QStringList forms; // the translation, or each numerus form
};

QList<Entry> readCatalogue(const QString &path, QString *language, QString *error)
{
    QList<Entry> entries;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return entries;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Entry entry;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            if (xml.isEndElement() && xml.name() == u"message")
                entries.append(entry);
            continue;
        }
        const auto name = xml.name();
        if (name == u"TS") {
            *language = xml.attributes().value(QLatin1String("language")).toString();
        } else if (name == u"name") {
            context = xml.readElementText();
        } else if (name == u"message") {
            entry = Entry{};
            entry.context = context;
            entry.numerus = xml.attributes().value(QLatin1String("numerus")) == u"yes";
        } else if (name == u"source") {
            entry.source = xml.readElementText();
        } else if (name == u"translation") {
            entry.type = xml.attributes().value(QLatin1String("type")).toString();
            if (!entry.numerus)
                entry.forms << xml.readElementText();
        } else if (name == u"numerusform") {
            entry.forms << xml.readElementText();
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return entries;
}

// %1..%99 in a string, as a set (a translation may reorder them).
QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%L?(\\d{1,2})"));
    QSet<QString> found;
    for (const auto &m : re.globalMatch(text))
        found.insert(m.captured(1));
    return found;
}

// Mnemonics: '&' before a letter or digit, "&&" being a literal ampersand.
int mnemonicCount(const QString &text)
{
    int count = 0;
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != u'&')
            continue;
        if (text.at(i + 1) == u'&') {
            ++i;
            continue;
        }
        if (text.at(i + 1).isLetterOrNumber())
            ++count;
    }
    return count;
}

QString describe(const Entry &e)
{
    QString source = e.source.left(80);
    source.replace(u'\n', QStringLiteral("\\n"));
    return e.context + QStringLiteral(": \"") + source + QStringLiteral("\"");
}

// QTest cuts long failure messages: list each problem on its own line first.
bool reportProblems(const QStringList &problems)
{
    for (const QString &p : problems)
        qWarning().noquote() << p;
    return problems.isEmpty();
}

} // namespace

class tst_TranslationFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void catalogueMatchesTheSources_data();
    void catalogueMatchesTheSources();
    void translationsKeepPlaceholdersAndMnemonics_data();
    void translationsKeepPlaceholdersAndMnemonics();

private:
    static void addCatalogues();
};

void tst_TranslationFiles::addCatalogues()
{
    QTest::addColumn<QString>("tsFile");
    const QStringList files = QString::fromUtf8(NATTER_TS_FILES).split(u'|', Qt::SkipEmptyParts);
    QVERIFY(!files.isEmpty());
    for (const QString &f : files)
        QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
}

void tst_TranslationFiles::catalogueMatchesTheSources_data()
{
    addCatalogues();
}

void tst_TranslationFiles::catalogueMatchesTheSources()
{
    QFETCH(QString, tsFile);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString copy = tmp.filePath(QFileInfo(tsFile).fileName());
    QVERIFY(QFile::copy(tsFile, copy));
    QVERIFY(QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner));

    // Same options as the update_translations target, minus -no-obsolete: a
    // string that left the code must show up (as vanished), not disappear.
    // English holds the plural forms only (translations/CMakeLists.txt).
    QStringList args{QStringLiteral("-locations"), QStringLiteral("none")};
    if (QFileInfo(tsFile).fileName() == u"natter_en.ts")
        args << QStringLiteral("-pluralonly");
    args << QString::fromUtf8(NATTER_TRANSLATED_DIRS).split(u'|', Qt::SkipEmptyParts);
    args << QStringLiteral("-ts") << copy;
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(NATTER_LUPDATE_BIN), args);
    QVERIFY2(lupdate.waitForFinished(120000), qPrintable(lupdate.errorString()));
    const QString output = QString::fromLocal8Bit(lupdate.readAll());
    QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0,
             qPrintable(output));

    QString language;
    QString error;
    const QList<Entry> entries = readCatalogue(copy, &language, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!entries.isEmpty());

    QStringList problems;
    // lupdate files such a tr() under a context that does not exist at run time
    // (a namespace, or a template parameter it misparsed), so its translation is
    // never found: call tr() inside the class, or Class::tr(), instead.
    for (const QString &line : output.split(u'\n')) {
        if (line.contains(QLatin1String("lacks Q_OBJECT macro")))
            problems << QStringLiteral("tr() outside a Q_OBJECT class: ") + line.trimmed();
    }
    for (const Entry &e : entries) {
        if (e.type == u"unfinished")
            problems << QStringLiteral("untranslated or new: ") + describe(e);
        else if (e.type == u"vanished" || e.type == u"obsolete")
            problems << QStringLiteral("no longer in the code: ") + describe(e);
    }
    QVERIFY2(reportProblems(problems),
             qPrintable(QStringLiteral("%1: %2 problems (listed above); run the "
                                       "update_translations target and translate them, see "
                                       "docs/translating.md")
                            .arg(QFileInfo(tsFile).fileName())
                            .arg(problems.size())));
}

void tst_TranslationFiles::translationsKeepPlaceholdersAndMnemonics_data()
{
    addCatalogues();
}

void tst_TranslationFiles::translationsKeepPlaceholdersAndMnemonics()
{
    QFETCH(QString, tsFile);
    QString language;
    QString error;
    const QList<Entry> entries = readCatalogue(tsFile, &language, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    // natter_de.ts must say language="de": lupdate and lrelease take the plural
    // rules from it.
    const QString base = QFileInfo(tsFile).completeBaseName();
    QCOMPARE(language, base.mid(base.indexOf(u'_') + 1));
    // Every language so far has two plural forms (one / other).
    const int pluralForms = 2;

    QStringList problems;
    for (const Entry &e : entries) {
        if (!e.type.isEmpty())
            continue; // reported by catalogueMatchesTheSources
        if (e.numerus && e.forms.size() != pluralForms)
            problems << QStringLiteral("wrong number of plural forms: ") + describe(e);
        for (const QString &form : e.forms) {
            // %n is not compared: a singular form may spell the count out.
            if (placeholders(form) != placeholders(e.source))
                problems << QStringLiteral("placeholders differ: ") + describe(e)
                        + QStringLiteral(" -> \"") + form + u'"';
            if (mnemonicCount(form) != mnemonicCount(e.source))
                problems << QStringLiteral("mnemonic (&) lost or doubled: ") + describe(e)
                        + QStringLiteral(" -> \"") + form + u'"';
            // What natter_en is for: "1 file", "2 files", never "file(s)".
            if (e.numerus && form.contains(QLatin1String("(s)")))
                problems << QStringLiteral("a plural form still says (s): ") + describe(e)
                        + QStringLiteral(" -> \"") + form + u'"';
        }
    }
    QVERIFY2(
        reportProblems(problems),
        qPrintable(
            QStringLiteral("%1 translations have problems (listed above)").arg(problems.size())));
}

QTEST_GUILESS_MAIN(tst_TranslationFiles)
#include "tst_TranslationFiles.moc"
