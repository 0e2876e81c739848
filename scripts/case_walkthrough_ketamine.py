"""Days 4 and 5 of the case walkthrough (issue 16 item 4): a dose, then an integration session.

Run `python3 scripts/case_walkthrough.py`, which imports this module after the first three days.

Day 4 (Thu 5 Nov, 09:00): a ketamine-assisted session on the present trigger, started from the
case view (`s`, kind chosen in the new-session form).  The dosing record: the route, the amount
as a plain number (a placeholder for the capture: the app suggests none), time "now", the link
left empty, the screening answered item by item.  One short set, a check-in (`k`), the
observation confirmed (`o`: the walkthrough compresses the observation period into a minute),
closure and containment.  Day 5 (Fri 6 Nov, 12:01, 27 hours after the dose): the Doses tab,
an integration session linked to the dose (`i`), a note and a reevaluation SUD without BLS,
closure; the Doses tab and the sessions again, and the SOAP note of the integration session.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from case_walkthrough import Walk

CLIENT = "K-7"
SCREENING = (  # p present, a absent, u unknown, then a note; in the form's order
    "a",  # aneurysm / AVM
    "a",  # intracerebral haemorrhage
    "a",  # hypersensitivity
    "a",  # psychosis or mania
    "a",  # substance use disorder
    "a",  # uncontrolled hypertension or heart disease
    "a negative test today",  # pregnancy
    "a",  # primary dissociative disorder
    "a",  # current suicidal thoughts or a recent attempt
    "a none",  # relevant co-medication
    "p partner takes the client home",  # escort and transport arranged
    "a",  # dissociation
    "p prescriber, 2 Nov",  # medical clearance
)


def note(walk: Walk, text: str) -> None:
    """`;` and a timestamped note (tmux reads a bare `;` argument as its command separator)."""
    walk.tmux("send-keys", "-H", "3b")
    time.sleep(0.5)
    walk.type(text)
    walk.wait_for(r"note saved")


def tab_through(walk: Walk, *values: str) -> None:
    """Type each value, then tab to the next field.  Tab moves at once; enter moves only when
    its message comes round, after keys already typed, which then land in the same field."""
    for value in values:
        if value:
            walk.type(value, enter=False)
        walk.send("Tab", pause=0.3)


def dosing_record(walk: Walk) -> None:
    walk.wait_for(r"dosing record")
    time.sleep(1.0)  # the cursor goes to the amount field once the form is drawn
    walk.type("50", enter=False)
    walk.send("BTab", pause=0.3)  # up to the routes: none is chosen for the clinician
    walk.send("Space", pause=0.3)  # the first one: intramuscular
    walk.shot("The dosing record (the app keeps time; it suggests no dose)", r"no dosing advice")
    walk.send("Tab", pause=0.3)  # back to the amount
    # amount (typed), unit (mg, preselected), time of dose ("now", prefilled), infusion and last
    # spray (not this route), provider, the link to an earlier medicine session (left empty),
    # then the screening item by item
    tab_through(walk, "", "", "", "", "", "clinic physician", "", *SCREENING[:-1])
    walk.type(SCREENING[-1], enter=False)
    walk.send("C-s", pause=1.0)
    walk.wait_for(r"dosing record saved")


def close(walk: Walk, *, timeline: bool) -> None:
    """Closure as prefilled (incomplete; with no BLS set, containment chosen), containment, the
    summary (and its timeline)."""
    walk.send("x")
    asked = walk.wait_for(r"Was the processing complete\?|No BLS this session: how does it close\?")
    if "No BLS this session" in asked:  # nothing is chosen for the clinician: containment
        walk.send("BTab", pause=0.3)  # the form opens on the final SUD: up to the choice
        walk.send("Down", pause=0.3)
        walk.send("Space", pause=0.3)
    walk.send("C-s", pause=1.0)
    walk.wait_for(r"Incomplete session: containment")
    walk.send("x")
    walk.wait_for(r"confirm it is done")
    walk.send("C-s", pause=1.0)
    walk.shot("The session's summary", r"Session \d+ · client")
    if timeline:  # below the medicine record and the sets: down to where the whole plot shows
        for _ in range(4):
            if "Timeline since" in walk.capture():
                break
            walk.send("PageDown", pause=1.0)
        for _ in range(20):  # a line at a time until its axis label shows too
            if re.search(r"Timeline since[\s\S]*minutes since dose", walk.capture()):
                break
            walk.send("Down", pause=0.3)
        walk.shot("The summary, scrolled down: the timeline since the dose", r"Timeline since")
    walk.send("q", pause=1.0)


def day4(walk: Walk) -> None:
    walk.day = "Day 4 (Thu 5 Nov)"
    walk.start("2026-11-05 09:00:00", ["client", CLIENT])
    walk.wait_for(r"Client K-7")
    time.sleep(1.0)
    walk.send("Down")  # the present trigger
    walk.send("s")
    walk.wait_for(r"New session[\s\S]*horns")
    time.sleep(0.5)  # the form puts the cursor in its first field once drawn
    walk.send("Tab", pause=0.3)  # to the session kind
    walk.send("Right", pause=0.3)
    walk.send("Space", pause=0.3)  # ketamine-assisted
    walk.send("C-s", pause=1.5)
    dosing_record(walk)
    walk.goto("4")
    walk.short_sets()
    walk.run_set(1, "the horns feel further off")
    walk.back_to_target("3")
    walk.send("k")
    walk.wait_for(r"Check-in")
    time.sleep(0.5)
    tab_through(walk, "128/82", "76", "98", "8")  # BP, heart rate, SpO2, presence (0-10)
    walk.send("Tab", pause=0.3)  # past the presence scale (the clinician's 0-10), to sedation
    walk.send("Down", pause=0.3)
    walk.send("Space", pause=0.3)  # alert, answers normally
    walk.send("Tab", pause=0.3)
    walk.type("talking calmly, oriented", enter=False)
    walk.send("C-s", pause=1.0)
    walk.shot("The session: the medicine clock in the header, a check-in saved", r"check-in saved")
    walk.send("o", pause=1.0)
    walk.shot("o: ready to leave (observation compressed for the capture)", r"ready to leave")
    walk.send("y", pause=1.0)
    walk.wait_for(r"observation confirmed")
    close(walk, timeline=True)
    walk.stop()


def day5(walk: Walk) -> None:
    walk.day = "Day 5 (Fri 6 Nov)"
    walk.start("2026-11-06 12:01:00", ["client", CLIENT])
    walk.wait_for(r"Client K-7")
    time.sleep(1.0)
    walk.send("4")
    walk.shot("The Doses tab, 27 hours after the dose", r"day 2 after dose \(T\+27 h\)")
    walk.send("i", pause=1.5)
    walk.shot("i: the new-session form, kind integration, after the dose of #5", r"New session")
    walk.send("C-s", pause=1.5)
    walk.shot("The integration session opens on the plan (phase 8)", r"Reevaluation: the target")
    walk.send("Escape")
    note(walk, "slept well; the horns on the way here felt less sharp")
    walk.shot(
        "The integration session's header: day 2 after the dose, a note",
        r"#5 day 2 after dose \(T\+27 h\)[\s\S]*note saved",
    )
    walk.send("r")
    walk.wait_for(r"Reevaluation: earlier target")
    time.sleep(0.5)
    tab_through(walk, "horns in traffic: calmer since the dose", "2")  # what comes up, SUD
    walk.type("4", enter=False)  # VOC
    walk.send("C-s", pause=1.0)
    walk.wait_for(r"reevaluation rating saved")
    close(walk, timeline=False)
    walk.send("4")
    walk.shot("The Doses tab: the integration session under its dose", r"#6 day 2")
    walk.send("2")
    walk.shot("The sessions: ketamine-assisted and integration", r"6 sessions")
    walk.stop()
    walk.shell("2026-11-06 13:00:00", ["sessions", "export", "6", "--format", "soap", "-o", "-"])
