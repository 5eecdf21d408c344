#include "AboutDialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

namespace Natter {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Natter"));
    setObjectName(QStringLiteral("aboutDialog"));
    setAccessibleName(tr("About Natter"));
    auto *icon = new QLabel(this);
    icon->setPixmap(QApplication::windowIcon().pixmap(64, 64));
    icon->setAccessibleName(tr("Natter logo"));
    auto *name = new QLabel(versionText(), this);
    QFont f = name->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.4);
    name->setFont(f);
    name->setAccessibleName(versionText());
    auto *what = new QLabel(tr("Team chat for people who would rather talk than configure."), this);
    what->setWordWrap(true);
    //: %1 is the licence's name.
    auto *licence =
        new QLabel(tr("Free software under the %1.").arg(QStringLiteral("MIT License")), this);
    licence->setAccessibleName(licence->text());
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(icon, 0, Qt::AlignHCenter);
    layout->addWidget(name, 0, Qt::AlignHCenter);
    layout->addWidget(what);
    layout->addWidget(licence);
    layout->addWidget(buttons);
}

QString AboutDialog::versionText() const
{
    //: %1 is the version number.
    return tr("Natter %1").arg(QCoreApplication::applicationVersion());
}

} // namespace Natter
