"""Built-in instruments: PCL-5, PHQ-9, GAD-7 (with their item wording), DES-II (scoring only).

Item wording, scales, bands and cut-offs are as published; where each comes from, and the terms
under which the text may be shown, are in ``docs/measures.md``.  No band, cut-off or
interpretation is added here that the authors did not publish.
"""

from __future__ import annotations

from bls_tui.measures.model import AlertRule, Band, Cutoff, Instrument, Scale, Subscale

PFIZER_ATTRIBUTION = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)

FREQUENCY_0_3 = ("Not at all", "Several days", "More than half the days", "Nearly every day")

ITEM9_ALERT = "item9"
"""Alert kind: PHQ-9 item 9 answered above 0."""

PCL5 = Instrument(
    id="pcl5",
    name="PCL-5",
    version="PCL-5 standard form (Weathers et al., 2013), past-month version",
    timeframe="past month",
    instructions=(
        "Below is a list of problems that people sometimes have in response to a very "
        "stressful experience. Please read each problem carefully and then circle one of the "
        "numbers to the right to indicate how much you have been bothered by that problem in "
        "the past month. In the past month, how much were you bothered by:"
    ),
    items=(
        "Repeated, disturbing, and unwanted memories of the stressful experience?",
        "Repeated, disturbing dreams of the stressful experience?",
        "Suddenly feeling or acting as if the stressful experience were actually happening "
        "again (as if you were actually back there reliving it)?",
        "Feeling very upset when something reminded you of the stressful experience?",
        "Having strong physical reactions when something reminded you of the stressful "
        "experience (for example, heart pounding, trouble breathing, sweating)?",
        "Avoiding memories, thoughts, or feelings related to the stressful experience?",
        "Avoiding external reminders of the stressful experience (for example, people, places, "
        "conversations, activities, objects, or situations)?",
        "Trouble remembering important parts of the stressful experience?",
        "Having strong negative beliefs about yourself, other people, or the world (for "
        "example, having thoughts such as: I am bad, there is something seriously wrong with "
        "me, no one can be trusted, the world is completely dangerous)?",
        "Blaming yourself or someone else for the stressful experience or what happened after it?",
        "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
        "Loss of interest in activities that you used to enjoy?",
        "Feeling distant or cut off from other people?",
        "Trouble experiencing positive feelings (for example, being unable to feel happiness or "
        "have loving feelings for people close to you)?",
        "Irritable behavior, angry outbursts, or acting aggressively?",
        "Taking too many risks or doing things that could cause you harm?",
        'Being "superalert" or watchful or on guard?',
        "Feeling jumpy or easily startled?",
        "Having difficulty concentrating?",
        "Trouble falling or staying asleep?",
    ),
    scale=Scale(
        0, 4, labels=("Not at all", "A little bit", "Moderately", "Quite a bit", "Extremely")
    ),
    scoring="sum",
    subscales=(
        Subscale("B", "Cluster B (intrusion), items 1-5", (1, 2, 3, 4, 5)),
        Subscale("C", "Cluster C (avoidance), items 6-7", (6, 7)),
        Subscale("D", "Cluster D (cognition and mood), items 8-14", (8, 9, 10, 11, 12, 13, 14)),
        Subscale("E", "Cluster E (arousal and reactivity), items 15-20", (15, 16, 17, 18, 19, 20)),
    ),
    bands=(),
    band_source="The authors publish no severity bands; none are shown.",
    cutoff=Cutoff(
        text="published provisional cut-off: a total of 31-33",
        source=(
            "National Center for PTSD, 'PTSD Checklist for DSM-5 (PCL-5)', "
            "https://www.ptsd.va.gov/professional/assessment/adult-sr/ptsd-checklist.asp "
            "(initial research suggests 31-33; the centre notes the cut-off depends on the "
            "population and the purpose)"
        ),
    ),
    source=(
        "Weathers, F.W., Litz, B.T., Keane, T.M., Palmieri, P.A., Marx, B.P., & Schnurr, P.P. "
        "(2013). The PTSD Checklist for DSM-5 (PCL-5). National Center for PTSD, "
        "www.ptsd.va.gov"
    ),
    terms=(
        "A work of the US Government (National Center for PTSD, US Department of Veterans "
        "Affairs): in the public domain"
    ),
    attribution="PCL-5 (8/14/2013) Weathers, Litz, Keane, Palmieri, Marx, & Schnurr -- "
    "National Center for PTSD",
)

PHQ9 = Instrument(
    id="phq9",
    name="PHQ-9",
    version="PHQ-9 (Kroenke, Spitzer & Williams, 2001)",
    timeframe="over the last 2 weeks",
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    scale=Scale(0, 3, labels=FREQUENCY_0_3),
    scoring="sum",
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 27, "severe"),
    ),
    band_source=(
        "Kroenke, K., Spitzer, R.L., & Williams, J.B.W. (2001). The PHQ-9: validity of a brief "
        "depression severity measure. J Gen Intern Med 16(9), 606-613 "
        "(scores of 5, 10, 15 and 20: mild, moderate, moderately severe, severe)"
    ),
    alerts=(
        AlertRule(
            kind=ITEM9_ALERT,
            item=9,
            above=0,
            message=(
                "PHQ-9 item 9 (thoughts that you would be better off dead or of hurting "
                "yourself in some way) was answered above 0. This is shown apart from the total "
                "and stays open until you acknowledge it. bls-tui works offline: no one else "
                "learns of this answer through it."
            ),
        ),
    ),
    source=(
        "Kroenke, K., Spitzer, R.L., & Williams, J.B.W. (2001). J Gen Intern Med 16(9), 606-613"
    ),
    terms="Free to reproduce, translate, display or distribute with the attribution line",
    attribution=PFIZER_ATTRIBUTION,
)

GAD7 = Instrument(
    id="gad7",
    name="GAD-7",
    version="GAD-7 (Spitzer, Kroenke, Williams & Löwe, 2006)",
    timeframe="over the last 2 weeks",
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    ),
    items=(
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ),
    scale=Scale(0, 3, labels=FREQUENCY_0_3),
    scoring="sum",
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 21, "severe"),
    ),
    band_source=(
        "Spitzer, R.L., Kroenke, K., Williams, J.B.W., & Löwe, B. (2006). A brief measure for "
        "assessing generalized anxiety disorder: the GAD-7. Arch Intern Med 166(10), 1092-1097 "
        "(scores of 5, 10 and 15: mild, moderate, severe)"
    ),
    source=(
        "Spitzer, R.L., Kroenke, K., Williams, J.B.W., & Löwe, B. (2006). Arch Intern Med "
        "166(10), 1092-1097"
    ),
    terms="Free to reproduce, translate, display or distribute with the attribution line",
    attribution=PFIZER_ATTRIBUTION,
)

DES2 = Instrument(
    id="des2",
    name="DES-II",
    version="DES-II (Carlson & Putnam, 1993)",
    timeframe="in your daily life (as the DES-II form asks)",
    instructions=(
        "The DES-II item text is not shipped (it is not openly licensed). Give the client the "
        "form you hold; enter each item's percentage (0-100, in steps of 10) by its number."
    ),
    items=tuple(f"Item {n}" for n in range(1, 29)),
    scale=Scale(0, 100, step=10),
    scoring="mean",
    bands=(),
    band_source="No severity bands are shown.",
    cutoff=Cutoff(
        text="a mean of 30 or more: flagged for clinical follow-up",
        source=(
            "Carlson, E.B., & Putnam, F.W. (1993). An update on the Dissociative Experiences "
            "Scale. Dissociation 6(1), 16-27; Carlson & Putnam, Manual for the Dissociative "
            "Experiences Scale (1992), 'Use of cutoff scores with the DES'"
        ),
        flag_at=30.0,
    ),
    source=(
        "Carlson, E.B., & Putnam, F.W. (1993). An update on the Dissociative Experiences Scale. "
        "Dissociation 6(1), 16-27 (the DES-II is its appendix)"
    ),
    terms="Item text not openly licensed: only the scoring is shipped; items are entered by number",
    item_text=False,
    decimals=1,
)

BUILTINS: dict[str, Instrument] = {i.id: i for i in (PCL5, PHQ9, GAD7, DES2)}
"""The built-in instruments by id, in the order they are listed."""
