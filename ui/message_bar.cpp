#include "message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

MessageBar::MessageBar(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    icon_ = new QLabel(this);
    text_ = new QLabel(this);
    text_->setWordWrap(true);
    text_->setTextFormat(Qt::PlainText);  // file names and core messages, never markup
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    close_ = new QToolButton(this);
    close_->setAutoRaise(true);
    close_->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close_->setToolTip(tr("Close"));
    connect(close_, &QToolButton::clicked, this, &MessageBar::dismiss);
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(8, 4, 4, 4);
    row->addWidget(icon_, 0, Qt::AlignTop);
    row->addWidget(text_, 1);
    row->addWidget(close_, 0, Qt::AlignTop);
    hide();
}

void MessageBar::showMessage(Kind kind, const QString& text)
{
    kind_ = kind;
    // KMessageWidget's palette: a tinted background and a darker border of the same hue.
    QColor tint, border;
    QStyle::StandardPixmap pixmap = QStyle::SP_MessageBoxInformation;
    switch (kind) {
    case Kind::Information:
        tint = QColor(0xd7, 0xe9, 0xf7), border = QColor(0x3d, 0xae, 0xe9);
        break;
    case Kind::Warning:
        tint = QColor(0xfb, 0xee, 0xd5), border = QColor(0xf6, 0x74, 0x00), pixmap = QStyle::SP_MessageBoxWarning;
        break;
    case Kind::Error:
        tint = QColor(0xf6, 0xd9, 0xd9), border = QColor(0xda, 0x44, 0x53), pixmap = QStyle::SP_MessageBoxCritical;
        break;
    }
    setStyleSheet(QStringLiteral("QFrame#messageBar { background: %1; border: 1px solid %2; border-radius: 4px; }"
                                 "QFrame#messageBar QLabel { color: black; }")
                      .arg(tint.name(), border.name()));
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon_->setPixmap(style()->standardIcon(pixmap).pixmap(size, size));
    text_->setText(text);
    show();
}

QString MessageBar::text() const
{
    return isHidden() ? QString() : text_->text();
}

void MessageBar::dismiss()
{
    hide();
}
