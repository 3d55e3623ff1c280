"""The desk's Visitors tab: who is on site now (checks, escort, sign-out, badges), the fire
roll call, and for managers the alert list itself, the phone rules' texts and the visitor
settings. A sign-in that matches the alert list is shown on every page, by the desk's alert
banner (``ui/components/desk/alert_banner``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.policies import CATEGORIES
from kiosk.printing.fonts import printable, unprintable_message
from kiosk.printing.roll_call import roll_call_pdf_bytes
from kiosk.rows.lists import on_site_table
from kiosk.rows.people import Actor
from kiosk.rows.visitors import VisitRow
from kiosk.services import alerts, visitors
from kiosk.services.visitor_retention import purge_visitors
from ui.ask import Asker
from ui.components.common import run_service
from ui.components.desk.panel import DeskPanel
from ui.components.output import ListOutput, Printer, file_name, print_document
from ui.models.visitors import AlertListModel, OnSiteModel
from ui.widgets.labels import plain_label
from ui.widgets.output_buttons import OutputButtons
from ui.widgets.tables import AttentionTableView

ActorSource = Callable[[], Actor | None]


class VisitorsPanel(DeskPanel):
    """On site now and roll call; alert list, rules and settings for managers."""

    title = "Visitors"
    shows = frozenset({Topic.VISITORS, Topic.STAFF})

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._updating = False
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        on_site = visitors.on_site(self._ctx)
        late = {v.id for v in visitors.still_on_site_after_closing(self._ctx)}
        self.on_site_model.late = late
        self.on_site_model.now = self._ctx.clock()
        self.on_site_model.set_rows(on_site)
        self.on_site_model.layoutChanged.emit()
        self.table.fit_columns()
        self.output.show_printer()
        self.count_label.setText(
            f"On site now: {len(on_site)} visitor{'' if len(on_site) == 1 else 's'}"
        )
        self.late_label.setText(
            f"{len(late)} still signed in after closing time (highlighted)." if late else ""
        )
        self.late_label.setVisible(bool(late))
        left_open = [v for v in on_site if v.id in late]
        self.left_open_model.set_rows(left_open)
        self.left_open_model.layoutChanged.emit()
        self.left_open_table.fit_columns()
        self.left_open_box.setVisible(bool(left_open))
        who = self._actor()
        is_manager = who is not None and who.role == "manager"
        for index in (1, 2, 3):
            self.sections.setTabVisible(index, is_manager)
        if who is not None and who.role == "manager":
            self._refresh_manager_sections(who)
        self._on_selection()

    def selected_visit(self) -> VisitRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.on_site_model.row_at(indexes[0].row()) if indexes else None

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.sections = QTabWidget()
        self.sections.addTab(self._build_on_site(), "On site")
        self.sections.addTab(self._build_alert_list(), "Alert list")
        self.sections.addTab(self._build_rules(), "Phone rules")
        self.sections.addTab(self._build_settings(), "Visitor settings")
        layout = QVBoxLayout(self)
        layout.addWidget(self.sections)

    def _build_on_site(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        self.count_label = plain_label("")
        self.count_label.setProperty("role", "heading")
        top.addWidget(self.count_label, 1)
        self.roll_call_button = QPushButton("Print fire roll call")
        self.roll_call_button.clicked.connect(self._on_roll_call)
        self.output = ListOutput(
            self._ctx,
            self._asker,
            self,
            OutputButtons("the list of visitors on site"),
            lambda: on_site_table(visitors.on_site(self._ctx), self._ctx.timezone),
            self._report,
        )
        top.addWidget(self.output.buttons)
        top.addWidget(self.roll_call_button)
        layout.addLayout(top)
        self.late_label = plain_label("")
        self.late_label.setProperty("role", "warning")
        layout.addWidget(self.late_label)
        self.status = plain_label("", role="hint", wrap=True)
        self.status.setAccessibleName("What was printed or saved")
        layout.addWidget(self.status)
        layout.addWidget(self._build_left_open())
        self.on_site_model = OnSiteModel(self._ctx.timezone, self)
        self.table = AttentionTableView()
        self.table.setModel(self.on_site_model)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.id_checked = QCheckBox("ID checked")
        self.dbs_assured = QCheckBox("DBS assurance received")
        self.unescorted = QCheckBox("May go unescorted")
        for box in (self.id_checked, self.dbs_assured, self.unescorted):
            box.toggled.connect(self._on_checks_toggled)
            actions.addWidget(box)
        actions.addStretch(1)
        self.reprint = QPushButton("Print a new badge")
        self.reprint.clicked.connect(self._on_reprint)
        self.sign_out = QPushButton("Sign out")
        self.sign_out.clicked.connect(self._on_sign_out)
        actions.addWidget(self.reprint)
        actions.addWidget(self.sign_out)
        layout.addLayout(actions)
        return page

    def _build_left_open(self) -> QWidget:
        """Visits still open after their day closed: the visitor left without signing out.
        Each is closed here, or by itself when the visitor next signs in."""
        self.left_open_box = QWidget()
        self.left_open_box.setObjectName("VisitorsLeftOpen")
        box = QVBoxLayout(self.left_open_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(
            plain_label(
                "Left open after closing: these visitors did not sign out. Check they have "
                "gone, then close each visit; it is recorded as not signed out.",
                role="section",
                wrap=True,
            )
        )
        self.left_open_model = OnSiteModel(self._ctx.timezone, self)
        self.left_open_table = AttentionTableView()
        self.left_open_table.setModel(self.left_open_model)
        self.left_open_table.setMaximumHeight(160)
        self.left_open_table.selectionModel().selectionChanged.connect(self._on_left_open_selection)
        box.addWidget(self.left_open_table)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_left_open = QPushButton("Close as not signed out")
        self.close_left_open.clicked.connect(self._on_close_left_open)
        self.close_left_open.setEnabled(False)
        row.addWidget(self.close_left_open)
        box.addLayout(row)
        self.left_open_box.setVisible(False)
        return self.left_open_box

    def _build_alert_list(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            plain_label(
                "People who must not be admitted without a manager's say-so. A sign-in under a "
                "matching name shows a warning here at the desk only, never on the kiosk."
            )
        )
        self.alert_model = AlertListModel(self)
        self.alert_table = AttentionTableView()
        self.alert_table.setModel(self.alert_model)
        layout.addWidget(self.alert_table, 1)
        form = QHBoxLayout()
        self.alert_name = QLineEdit()
        self.alert_name.setPlaceholderText("Full name")
        self.alert_note = QLineEdit()
        self.alert_note.setPlaceholderText("Note for the receptionist (what to do)")
        add = QPushButton("Add to alert list")
        add.clicked.connect(self._on_add_alert)
        remove = QPushButton("Remove selected")
        remove.clicked.connect(self._on_remove_alert)
        form.addWidget(self.alert_name, 1)
        form.addWidget(self.alert_note, 2)
        form.addWidget(add)
        form.addWidget(remove)
        layout.addLayout(form)
        return page

    def _build_rules(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        self.rules_category = QComboBox()
        for entry in CATEGORIES:
            self.rules_category.addItem(entry.label, entry.id)
        self.rules_category.currentIndexChanged.connect(self._load_rules)
        self.rules_version = plain_label("")
        top.addWidget(self.rules_category)
        top.addWidget(self.rules_version, 1)
        layout.addLayout(top)
        self.rules_title = QLineEdit()
        layout.addWidget(self.rules_title)
        self.rules_body = QPlainTextEdit()
        layout.addWidget(self.rules_body, 1)
        save = QPushButton("Save as a new version")
        save.clicked.connect(self._on_save_rules)
        layout.addWidget(
            plain_label(
                "Saving makes a new version: visitors who signed an older one read and sign the "
                "new text on their next visit. Leave a blank line between paragraphs."
            )
        )
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _build_settings(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.badge_size = QComboBox()
        for size, label in visitors.BADGE_SIZES.items():
            self.badge_size.addItem(label, size)
        self.idle_seconds = QSpinBox()
        self.idle_seconds.setRange(15, 600)
        self.idle_seconds.setSuffix(" seconds")
        self.retention_days = QSpinBox()
        self.retention_days.setRange(30, 3660)
        self.retention_days.setSuffix(" days")
        form.addRow("Badge printer", plain_label("Chosen in Settings, under Printers", role="hint"))
        form.addRow("Badge size", self.badge_size)
        form.addRow("Kiosk gives up on an unfinished sign-in after", self.idle_seconds)
        form.addRow("Keep visitors' details and signatures for", self.retention_days)
        save = QPushButton("Save settings")
        save.clicked.connect(self._on_save_settings)
        form.addRow("", save)
        dry = QPushButton("List what a purge would remove")
        dry.clicked.connect(lambda: self._on_purge(dry_run=True))
        purge = QPushButton("Purge old visitors' details now")
        purge.clicked.connect(lambda: self._on_purge(dry_run=False))
        row = QHBoxLayout()
        row.addWidget(dry)
        row.addWidget(purge)
        form.addRow("Retention", row)
        return page

    # --- manager sections ------------------------------------------------------------------

    def _refresh_manager_sections(self, who: Actor) -> None:
        self.alert_model.set_rows(alerts.list_alerts(self._ctx, who))
        settings = visitors.visitor_settings(self._ctx)
        self.badge_size.setCurrentIndex(self.badge_size.findData(settings.badge_size))
        self.idle_seconds.setValue(settings.idle_seconds)
        self.retention_days.setValue(settings.retention_days)
        self._load_rules()

    def _load_rules(self) -> None:
        category_id = self.rules_category.currentData()
        policy = visitors.current_policy(self._ctx, category_id)
        self.rules_version.setText(f"Version {policy.version}")
        self.rules_title.setText(policy.title)
        self.rules_body.setPlainText("\n\n".join(policy.paragraphs))

    # --- slots ----------------------------------------------------------------------------

    def _who(self, title: str) -> Actor | None:
        who = self._actor()
        if who is None:
            self._asker.error(self, title, "Please sign in at the desk first.")
        return who

    def _on_selection(self, *_args: object) -> None:
        visit = self.selected_visit()
        self._updating = True
        for box in (
            self.id_checked,
            self.dbs_assured,
            self.unescorted,
            self.reprint,
            self.sign_out,
        ):
            box.setEnabled(visit is not None)
        self.id_checked.setChecked(bool(visit and visit.id_checked))
        self.dbs_assured.setChecked(bool(visit and visit.dbs_assured))
        self.unescorted.setChecked(bool(visit and not visit.escorted))
        self._updating = False

    def _on_checks_toggled(self, _checked: bool) -> None:
        visit = self.selected_visit()
        who = self._actor()
        if self._updating or visit is None or who is None:
            return
        result = run_service(
            self._asker,
            self,
            "Checks not recorded",
            lambda: visitors.record_checks(
                self._ctx,
                who,
                visit.id,
                id_checked=self.id_checked.isChecked(),
                dbs_assured=self.dbs_assured.isChecked(),
                escorted=not self.unescorted.isChecked(),
            ),
        )
        self._reload_keeping(visit.id)
        if result is not None:
            self.sig_changed.emit(Changes.of(Topic.VISITORS))

    def _reload_keeping(self, visit_id: int) -> None:
        self.refresh()
        for row, visit in enumerate(self.on_site_model.rows()):
            if visit.id == visit_id:
                self.table.selectRow(row)
        self._on_selection()

    def _on_sign_out(self) -> None:
        visit = self.selected_visit()
        who = self._who("Not signed out")
        if visit is None or who is None:
            return
        if run_service(
            self._asker,
            self,
            "Not signed out",
            lambda: visitors.sign_out_at_desk(self._ctx, who, visit.id),
        ):
            self.refresh()
            self.sig_changed.emit(Changes.of(Topic.VISITORS))

    def selected_left_open(self) -> VisitRow | None:
        """The visit chosen in the "left open after closing" list, if any."""
        indexes = self.left_open_table.selectionModel().selectedRows()
        return self.left_open_model.row_at(indexes[0].row()) if indexes else None

    def _on_left_open_selection(self, *_args: object) -> None:
        self.close_left_open.setEnabled(self.selected_left_open() is not None)

    def _on_close_left_open(self) -> None:
        visit = self.selected_left_open()
        who = self._who("Visit not closed")
        if visit is None or who is None:
            return
        if run_service(
            self._asker,
            self,
            "Visit not closed",
            lambda: visitors.close_left_open(self._ctx, who, visit.id),
        ):
            self.refresh()
            self.sig_changed.emit(Changes.of(Topic.VISITORS))

    def _on_reprint(self) -> None:
        visit = self.selected_visit()
        who = self._who("Badge not printed")
        if visit is None or who is None:
            return
        # A name stored before the fonts were checked could print as empty boxes: say which
        # characters, and print nothing.
        for text, what in (
            (visit.name, "No badge printed. The name"),
            (visit.organisation, "No badge printed. The organisation"),
            (visit.host_name, "No badge printed. The name of whom they visit"),
        ):
            missing = printable(text)
            if missing:
                self._asker.error(self, "Badge not printed", unprintable_message(missing, what))
                return
        signed = run_service(
            self._asker,
            self,
            "Badge not printed",
            lambda: visitors.reissue_badge(self._ctx, who, visit.id),
        )
        if signed is None:
            return
        pdf = visitors.badge_pdf(self._ctx, signed)
        print_document(
            self._ctx,
            self._asker,
            self,
            pdf,
            title=f"Visitor badge {visit.id}",
            printer=Printer.BADGE,
            suggested=file_name(f"badge {visit.name}"),
            report=self._report,
        )
        self._reload_keeping(visit.id)

    def _on_roll_call(self) -> bool:
        """One click: the fire roll call straight to the A4 printer."""
        pdf = roll_call_pdf_bytes(visitors.roll_call(self._ctx), self._ctx.timezone)
        today = self._ctx.clock().astimezone(self._ctx.timezone).date()
        return print_document(
            self._ctx,
            self._asker,
            self,
            pdf,
            title="Fire roll call",
            suggested=file_name("Fire roll call", today),
            report=self._report,
        )

    def _report(self, text: str) -> None:
        self.status.setText(text)

    def _on_add_alert(self) -> None:
        who = self._who("Not added")
        if who is None:
            return
        name, note = self.alert_name.text(), self.alert_note.text()
        if run_service(
            self._asker, self, "Not added", lambda: alerts.add_alert(self._ctx, who, name, note)
        ):
            self.alert_name.clear()
            self.alert_note.clear()
            self.refresh()

    def _on_remove_alert(self) -> None:
        who = self._who("Not removed")
        indexes = self.alert_table.selectionModel().selectedRows()
        row = self.alert_model.row_at(indexes[0].row()) if indexes else None
        if who is None or row is None:
            return
        if self._asker.confirm(self, "Remove from the alert list", f"Remove {row.name}?"):
            run_service(
                self._asker,
                self,
                "Not removed",
                lambda: alerts.remove_alert(self._ctx, who, row.id),
            )
            self.refresh()

    def _on_save_rules(self) -> None:
        who = self._who("Rules not saved")
        if who is None:
            return
        category_id = self.rules_category.currentData()
        saved = run_service(
            self._asker,
            self,
            "Rules not saved",
            lambda: visitors.save_policy_text(
                self._ctx, who, category_id, self.rules_title.text(), self.rules_body.toPlainText()
            ),
        )
        if saved is not None:
            self._asker.info(self, "Rules saved", f"Saved as version {saved.version}.")
            self._load_rules()

    def _on_save_settings(self) -> None:
        who = self._who("Settings not saved")
        if who is None:
            return
        if run_service(
            self._asker,
            self,
            "Settings not saved",
            lambda: visitors.update_visitor_settings(
                self._ctx,
                who,
                retention_days=self.retention_days.value(),
                idle_seconds=self.idle_seconds.value(),
                badge_size=self.badge_size.currentData(),
            ),
        ):
            self._asker.info(self, "Settings saved", "The visitor settings are saved.")

    def _on_purge(self, *, dry_run: bool) -> None:
        who = self._who("Purge")
        if who is None:
            return
        if not dry_run and not self._asker.confirm(
            self,
            "Purge visitors' details",
            "Remove the details and signatures of visits older than the retention period? "
            "Daily counts are kept. This cannot be undone.",
        ):
            return
        report = run_service(
            self._asker, self, "Purge", lambda: purge_visitors(self._ctx, who, dry_run=dry_run)
        )
        if report is None:
            return
        names = "\n".join(
            f"{last:%d/%m/%Y}  {name}" for name, _org, last in report.visitors_removed[:30]
        )
        more = len(report.visitors_removed) - 30
        verb = "Would remove" if dry_run else "Removed"
        self._asker.info(
            self,
            "Purge",
            f"{verb} {report.visits} visit(s), {report.visitors} visitor(s) and "
            f"{report.acknowledgements} signature(s)."
            + (f"\n\n{names}" if names else "")
            + (f"\n… and {more} more." if more > 0 else ""),
        )
        self.refresh()
