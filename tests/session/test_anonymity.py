"""Small rooms: labels and breakdowns only for groups of at least k participants."""

from session.anonymity import OTHER, shown_groups
from session.model import PromptKind, Stage
from tests.session.test_service import answer_choice, go_to, prompt_of

ROOM = {"inwoner": 1, "professional": 4, "organisatie": 0, "gemeente": 2}


def test_a_label_shows_only_for_a_group_of_k():
    assert shown_groups(ROOM, 3) == {"professional"}
    assert shown_groups(ROOM, 1) == {"inwoner", "professional", "gemeente"}


def test_small_groups_fold_into_other_in_the_results(service):
    joined = {p: [service.join(p, "nl") for _ in range(n)] for p, n in ROOM.items()}
    assert service.shown_perspectives() == {"professional"}
    go_to(service, Stage.RECOGNISE)
    item = service.snapshot().items[0]
    choices = {"inwoner": "yes", "professional": "yes", "gemeente": "no"}
    for perspective, people in joined.items():
        for n, person in enumerate(people):
            answer_choice(service, person, f"{perspective[:3]}-{n:07d}", choices[perspective], item)
    prompt = prompt_of(service, Stage.RECOGNISE, PromptKind.CHOICE)
    split = service.results(Stage.RECOGNISE, service.snapshot().theme.key)[prompt.id][item]
    # Organisatie has nobody, so nothing to hide; Inwoner (1) and Gemeente (2) are summed.
    assert set(split.by_perspective) == {"professional", "organisatie", OTHER}
    assert split.by_perspective["professional"] == {"yes": 4, "partly": 0, "no": 0}
    assert split.by_perspective[OTHER] == {"yes": 1, "partly": 0, "no": 2}
    assert split.total == {"yes": 5, "partly": 0, "no": 2}
    assert service.pack.perspective_label(OTHER, "nl") == "Overig"
