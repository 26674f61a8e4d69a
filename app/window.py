"""The main window: a sidebar of SafeSpace's areas, and the page of the one chosen."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtGui import QCloseEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import resources, screen_fit
from app.dialogs import about
from app.dialogs.log_view import LogView
from app.pages.computer import ComputerPage
from app.pages.guides import GuidesPage
from app.pages.images import ImagesPage
from app.pages.post import PostPage
from app.pages.reviews import ReviewsPage
from app.pages.room import RoomPage
from app.widgets.banner import Banner
from checks import settings as settings_store
from checks.model import Severity
from checks.paths import config_dir, data_dir
from checks.settings import Settings
from checks.store import open_store

AREAS = [
    ("images", "Pictures and videos"),
    ("post", "Before you post"),
    ("room", "Room check"),
    ("computer", "This computer"),
    ("guides", "Privacy walkthroughs"),
    ("reviews", "Reviews and reports"),
]
WELCOME = (
    "SafeSpace helps you keep your clients untraceable: it shows what your photos give away and makes safe "
    "copies to share, checks a room and this computer for what could listen, watch or identify someone, and "
    "guides you through the privacy settings of your devices and accounts. It sends nothing to the "
    "internet, checks only when you ask, and never changes your original files. Your settings are kept in "
    "{config}, and saved checks in {data}."
)


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings, settings_message: str | None = None):
        super().__init__()
        self.settings = settings
        self.setWindowTitle("SafeSpace")
        self.setWindowIcon(resources.icon("safespace"))
        screen_fit.fit(self)  # never larger than the screen, whatever it shows

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Areas of SafeSpace")
        self.sidebar.setIconSize(QSize(24, 24))
        self.sidebar.setFixedWidth(230)
        self.pages = QStackedWidget()
        # One store for the whole window: every page sees the same rooms, checks and reviews, and any
        # trouble with it is said once, below.
        self.store, store_message = open_store()
        self.images = ImagesPage(settings, self.save_settings, store=self.store)
        self.post = PostPage(settings, self.save_settings)
        self.room = RoomPage(settings, self.save_settings, store=self.store)
        self.computer = ComputerPage(self.store)
        self.guides = GuidesPage(store=self.store)
        self.reviews = ReviewsPage(settings, self.save_settings, store=self.store)
        ink = self.sidebar.palette().color(QPalette.ColorRole.Text)
        pages = {
            "images": self.images,
            "post": self.post,
            "room": self.room,
            "computer": self.computer,
            "guides": self.guides,
            "reviews": self.reviews,
        }
        for key, title in AREAS:
            QListWidgetItem(resources.tinted_icon(key, ink), title, self.sidebar)
            self.pages.addWidget(pages[key])
        # As wide as its longest name needs, at any text size (never cut off, never scrolled sideways).
        self.sidebar.ensurePolished()  # the style sheet sets its font size
        widest = max(self.sidebar.fontMetrics().horizontalAdvance(t) for _, t in AREAS)
        self.sidebar.setFixedWidth(max(230, widest + self.sidebar.iconSize().width() + 48))
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.setCurrentRow(0)

        right = QVBoxLayout()
        if settings_message:
            right.addWidget(Banner("Your settings were reset", settings_message, "OK", Severity.MEDIUM))
        if store_message:
            logging.getLogger("safespace").warning("saved data: %s", store_message)
            right.addWidget(Banner("Your saved data could not be read", store_message, "OK", Severity.MEDIUM))
        if not settings.welcomed:
            self.welcome = Banner(
                "Welcome to SafeSpace", WELCOME.format(config=config_dir(), data=data_dir()), "Got it"
            )
            self.welcome.dismissed.connect(self._welcomed)
            right.addWidget(self.welcome)
        right.addWidget(self.pages, 1)
        self.log_button = QPushButton("Show the log…")
        self.log_button.setAccessibleName("Show SafeSpace's log, to send when something goes wrong")
        self.log_button.setFlat(True)
        self.log_button.clicked.connect(lambda: LogView(self).exec())
        side = QVBoxLayout()
        side.addWidget(self.sidebar, 1)
        side.addWidget(self.log_button)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addLayout(side)
        row.addLayout(right, 1)
        self.setCentralWidget(central)
        about.add_help_menu(self)  # Help > About SafeSpace: the version, licence and folders

    def save_settings(self) -> None:
        try:
            settings_store.save(self.settings)
        except OSError as exc:  # settings are a convenience: never lose work over them
            self.statusBar().showMessage(f"Your settings could not be saved: {exc.strerror or exc}", 10_000)

    def _welcomed(self) -> None:
        self.settings.welcomed = True
        self.save_settings()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.images.stop()  # running work is cancelled and waited for: nothing is left half-done
        self.post.stop()
        self.room.stop()
        self.computer.stop()
        self.guides.stop()
        self.reviews.leave()
        self.store.close()
        event.accept()
