"""Medicine timing as clinic settings, the closure prefill rule, and the clinical config keys."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bls_tui.config.appconfig import AppConfig, ConfigError, parse_config_text, to_toml
from bls_tui.ketamine.route_settings import LABEL, band_text, route_setting
from bls_tui.records.closure import LastValues, closure_prefill, last_values
from bls_tui.records.store import Store
from bls_tui.records.types import Event, Rating
from bls_tui.services.ketamine_session import DoseEntry, KetamineClock

T0 = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)


def test_only_the_esketamine_label_numbers_are_built_in() -> None:
    for route in ("im", "iv", "sublingual", "oral", "other"):
        s = route_setting({}, route)
        assert (s.observation_min, s.bp_recheck_min, s.has_bands) == (None, None, False)
    s = route_setting({}, "esketamine_in")
    assert (s.observation_min, s.bp_recheck_min) == (120, 40)
    assert s.observation_source == s.bp_recheck_source == LABEL


def test_clinic_settings_win_and_are_labelled_as_theirs() -> None:
    routes = {"im": {"observation_min": 90, "peak_min": (5.0, 15.0), "fade_end_min": 120.0}}
    s = route_setting(routes, "im")
    assert s.observation_min == 90 and s.observation_source == "clinic setting"
    assert band_text(s, 10) == "peak band (clinic setting: population reference, not this client)"
    assert band_text(s, 60).startswith("fading band")
    assert band_text(s, 130).startswith("after the fade band")
    assert band_text(s, None) == ""  # the reference point is unknown: no band
    glob = route_setting({}, "esketamine_in", observation_min=150)
    assert glob.observation_min == 150 and glob.observation_source == "clinic setting"


def test_config_routes_section_and_clinical_keys() -> None:
    text = (
        'crisis_line = "Clinic duty phone, see the care plan"\n'
        "sud_every_set = true\n"
        'default_route = "im"\n'
        "[routes.sublingual]\n"
        "observation_min = 120\n"
        "peak_min = [30, 60]\n"
    )
    config = parse_config_text(text, "config.toml")
    assert config.crisis_line.startswith("Clinic duty phone")
    assert config.sud_every_set and config.default_route == "im"
    assert config.routes == {"sublingual": {"observation_min": 120, "peak_min": (30.0, 60.0)}}
    assert config.checkin_interval_min is None  # no standard interval exists: none by default
    again = parse_config_text(to_toml(config).replace("# bls-tui", "# x"), "again.toml")
    assert again == config


@pytest.mark.parametrize(
    ("text", "msg"),
    [
        ("[routes.nasal]\nobservation_min = 1\n", "routes.nasal: unknown route"),
        ("[routes.im]\nonset = 5\n", "routes.im.onset: unknown key"),
        ("[routes.im]\npeak_min = [20, 10]\n", "end must be after start"),
        ("[routes.im]\nobservation_min = 0\n", "out of range"),
        ('default_route = "nose"\n', "default_route: must be one of"),
        ("sud_every_set = 1\n", "true or false"),
        ('crisis_line = "a\\nb"\n', "one line"),
    ],
)
def test_bad_clinical_config_is_one_clear_line(text: str, msg: str) -> None:
    with pytest.raises(ConfigError, match=msg):
        parse_config_text(text, "config.toml")


def test_esketamine_header_shows_the_label_numbers_as_the_labels(tmp_path: Path) -> None:
    now = T0 + timedelta(minutes=10)
    with Store.open(tmp_path / "k.db", backup=False, wall=lambda: now) as store:
        sid = store.create_session("K-9", "ketamine", 60)
        entry = DoseEntry("esketamine_in", "56", "mg", T0, last_spray_min=10)
        clock = KetamineClock.start(store, sid, entry, AppConfig(), lambda: now)
        header = clock.header()
        assert header.startswith("T+0:10 h:mm Esketamine, intranasal")
        assert f"observe ≥120 min ({LABEL}): 1:50:00 left" in header
        medicine = store.load_session(sid).medicine
        assert medicine is not None
        assert (medicine.bp_recheck_min, medicine.last_spray_min) == (40, 10)
        assert "peak" not in header  # no band unless the clinic sets one


def test_im_without_settings_shows_only_time_since_dose(tmp_path: Path) -> None:
    now = T0 + timedelta(minutes=1)
    with Store.open(tmp_path / "k.db", backup=False, wall=lambda: now) as store:
        sid = store.create_session("K-9", "ketamine", 60)
        clock = KetamineClock.start(
            store, sid, DoseEntry("im", "50", "mg", T0), AppConfig(), lambda: now
        )
        assert clock.header() == "T+0:01 h:mm IM · observation until you confirm (o): no period set"
        assert clock.schedule.next_due() is None  # no check-in interval invented


def test_iv_band_waits_for_the_infusion_length(tmp_path: Path) -> None:
    now = T0 + timedelta(minutes=50)
    config = AppConfig(routes={"iv": {"peak_min": (0.0, 10.0)}})
    with Store.open(tmp_path / "k.db", backup=False, wall=lambda: now) as store:
        a = store.create_session("K-9", "ketamine", 60)
        unknown = KetamineClock.start(store, a, DoseEntry("iv", "1", "other", T0), config,
                                      lambda: now)  # fmt: skip
        assert "no band: end of infusion not entered" in unknown.header()
        b = store.create_session("K-9", "ketamine", 60)
        known = KetamineClock.start(
            store, b, DoseEntry("iv", "1", "other", T0, infusion_min=45), config, lambda: now
        )
        assert "peak band (clinic setting" in known.header()


@pytest.mark.parametrize(
    ("values", "choice", "reason"),
    [
        (LastValues(6, None, None), "no", "last SUD 6 (above 0)"),
        (LastValues(0, 5, None), "no", "last VOC 5 (below 7)"),
        (LastValues(0, 7, "discomfort"), "no", "body scan: discomfort"),
        (LastValues(0, 7, "not_done"), "no", "body scan: not done"),
        (LastValues(0, 7, "clear"), "yes", "Prefilled COMPLETE"),
        (LastValues(0, 7, None), None, "no body scan recorded"),
        (LastValues(), None, "no SUD, VOC, body scan recorded"),
    ],
)
def test_closure_prefill_rule(values: LastValues, choice: str | None, reason: str) -> None:
    prefill = closure_prefill(values)
    assert prefill.choice == choice
    assert reason in prefill.reason


def test_last_values_skip_closure_ratings_and_take_the_latest() -> None:
    ratings = [
        Rating("sud", 7, "t1", "between_sets", 1),
        Rating("sud", 3, "t2", "back_to_target"),
        Rating("voc", 5, "t3", "installation", 2),
        Rating("sud", 9, "t4", "closure"),
    ]
    events = [Event("t5", "body_scan", {"outcome": "discomfort"})]
    assert last_values(ratings, events) == LastValues(3, 5, "discomfort")
