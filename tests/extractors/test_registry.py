import pytest

from extractors.claims import EXTRACTOR
from extractors.registry import EXTRACTORS, register, signature


@pytest.mark.parametrize("name", ["metric", "metric.1", "metric.vx", ".v1"])
def test_names_need_a_concern_and_a_version(name):
    with pytest.raises(ValueError):
        register(name)


def test_every_concern_is_registered_with_a_version():
    for concern in ("claims", "timex", "kind", "metric", "subject", "sources", "nlp", "frontmatter"):
        assert EXTRACTORS[concern].startswith(concern + ".v")


def test_the_claim_signature_names_each_extractor():
    assert EXTRACTOR.split("+")[0] == EXTRACTORS["claims"]
    assert "numbers.v" in EXTRACTOR and EXTRACTORS["metric"] in EXTRACTOR
    assert signature("a.v1", "b.v2") == "a.v1+b.v2"
