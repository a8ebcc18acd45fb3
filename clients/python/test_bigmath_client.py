"""Tests of bigmath_client against a live server at BIGMATH_URL.

Run by the Go test suite (api/reward_python_test.go), which starts the
server: python3 clients/python/test_bigmath_client.py
"""

import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bigmath_client as bc  # noqa: E402


class VerlTest(unittest.TestCase):
    def test_single(self):
        r = bc.compute_score("bigmath/test", "So the answer is \\boxed{\\frac{1}{2}}.", "0.5")
        self.assertEqual(r["score"], 1.0)
        self.assertIs(r["acc"], True)
        self.assertEqual(r["pred"], "\\frac{1}{2}")
        self.assertEqual(r["reason"], "equal")
        r = bc.compute_score("bigmath/test", "\\boxed{3}", "4", extra_info={"split": "train", "index": 0})
        self.assertEqual(r["score"], 0.0)
        self.assertEqual(r["reason"], "not_equal")

    def test_single_keyword_call(self):
        # verl's naive manager passes keywords.
        r = bc.compute_score(data_source="x", solution_str="\\boxed{7}", ground_truth=7, extra_info=None)
        self.assertEqual(r["score"], 1.0)

    def test_batch(self):
        n = 50
        out = bc.compute_score(
            data_sources=["bigmath/test"] * n,
            solution_strs=[f"\\boxed{{{i % 5}}}" for i in range(n)],
            ground_truths=[str(i) for i in range(n)],
            extra_infos=[{"index": i} for i in range(n)],
        )
        self.assertEqual(len(out), n)
        for i, r in enumerate(out):
            self.assertEqual(r["score"], 1.0 if i < 5 else 0.0, (i, r))

    def test_batch_in_chunks(self):
        os.environ["BIGMATH_CHUNK"] = "7"
        try:
            n = 100
            out = bc.compute_score(
                data_sources=["d"] * n,
                solution_strs=[f"\\boxed{{{i}}}" for i in range(n)],
                ground_truths=[str(i if i % 2 else i + 1) for i in range(n)],
                extra_infos=None,
            )
        finally:
            del os.environ["BIGMATH_CHUNK"]
        self.assertEqual([r["score"] for r in out], [1.0 if i % 2 else 0.0 for i in range(n)])

    def test_batch_length_mismatch(self):
        with self.assertRaises(ValueError):
            bc.compute_score(data_sources=["a"], solution_strs=["x", "y"], ground_truths=["1"], extra_infos=None)

    def test_unparsable_gold_is_zero_with_reason(self):
        r = bc.compute_score("d", "\\boxed{1}", "")
        self.assertEqual((r["score"], r["reason"]), (0.0, "unparsable_gold"))


class TRLTest(unittest.TestCase):
    def test_standard(self):
        rewards = bc.reward_func(
            prompts=["What is 2+2?", "What is 2+3?"],
            completions=["It is \\boxed{4}", "It is \\boxed{6}"],
            solution=["4", "5"],
            trainer_state=None,
        )
        self.assertEqual(rewards, [1.0, 0.0])

    def test_conversational_and_answer_column(self):
        rewards = bc.reward_func(
            prompts=[[{"role": "user", "content": "2+2?"}]] * 2,
            completions=[
                [{"role": "assistant", "content": "The answer is $4$."}],
                [{"role": "assistant", "content": "I think \\boxed{5}"}],
            ],
            answer=[4, "4"],
            completion_ids=[[1], [2]],
        )
        self.assertEqual(rewards, [1.0, 0.0])

    def test_gold_column_env(self):
        os.environ["BIGMATH_GOLD_COLUMN"] = "target"
        try:
            self.assertEqual(bc.reward_func(prompts=["p"], completions=["\\boxed{9}"], target=["9"], solution=["1"]), [1.0])
        finally:
            del os.environ["BIGMATH_GOLD_COLUMN"]

    def test_no_gold_column(self):
        with self.assertRaises(ValueError) as cm:
            bc.reward_func(prompts=["p"], completions=["\\boxed{1}"], question=["q"])
        self.assertIn("solution", str(cm.exception))


class ErrorTest(unittest.TestCase):
    def test_connection_refused_is_retried_then_raised(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        old = os.environ["BIGMATH_URL"]
        os.environ["BIGMATH_URL"] = f"http://127.0.0.1:{port}"
        os.environ["BIGMATH_RETRIES"] = "2"
        try:
            with self.assertRaises(bc.BigmathError) as cm:
                bc.compute_score("d", "\\boxed{1}", "1")
            self.assertIn("after 3 attempts", str(cm.exception))
        finally:
            os.environ["BIGMATH_URL"] = old
            del os.environ["BIGMATH_RETRIES"]

    def test_http_error_is_raised_with_the_message(self):
        with self.assertRaises(bc.BigmathError) as cm:
            bc._post("/v1/reward/batch", {"items": "nope"})
        self.assertIn("HTTP 400", str(cm.exception))
        self.assertIn("field items", str(cm.exception))

    def test_empty(self):
        self.assertEqual(bc.check([]), [])


if __name__ == "__main__":
    if not os.environ.get("BIGMATH_URL"):
        sys.exit("BIGMATH_URL is not set: start a bigmath server and point BIGMATH_URL at it")
    unittest.main(verbosity=1)
