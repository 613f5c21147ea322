import json
from datetime import UTC, datetime

from memory import MemoryKind, MemoryStore
from memory.extractor import ModelExtractor

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def test_valid_model_output_shapes_the_records(fake_embedder, tmp_path):
    seen = []

    def complete(messages):
        seen.append(messages)
        return (
            "```json\n"
            + json.dumps(
                {
                    "memories": [
                        {
                            "text": "Ana's niece Lia turns five in May.",
                            "kind": "person",
                            "people": ["Lia"],
                            "importance": 0.9,
                        }
                    ]
                }
            )
            + "\n```"
        )

    store = MemoryStore(tmp_path, fake_embedder, extractor=ModelExtractor(complete))
    records = store.remember_turn("ana", "omg lia is turning 5 in may!!", "t1", T0)
    assert [(r.text, r.kind, r.people, r.importance) for r in records] == [
        ("Ana's niece Lia turns five in May.", MemoryKind.person, ["Lia"], 0.9)
    ]
    assert seen[0][1]["content"].endswith(json.dumps("omg lia is turning 5 in may!!"))


def test_invalid_or_failing_model_falls_back_to_rules(fake_embedder, tmp_path):
    outputs = iter(['{"memories": [{"text": "x", "importance": 7}]}', "not json"])

    def complete(messages):
        try:
            return next(outputs)
        except StopIteration:
            raise TimeoutError("model down") from None

    store = MemoryStore(tmp_path, fake_embedder, extractor=ModelExtractor(complete))
    for i in range(3):
        records = store.remember_turn("ana", f"I started a pottery class number {i}.", f"t{i}", T0)
        assert [r.text for r in records] == [f"I started a pottery class number {i}."]
