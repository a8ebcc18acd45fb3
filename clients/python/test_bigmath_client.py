"""Tests of bigmath_client against a live server at BIGMATH_TEST_URL.

Run by the Go test suite (api/reward_python_test.go), which starts a server
of its own and sets BIGMATH_TEST_URL: python3 clients/python/test_bigmath_client.py.
The tests never use BIGMATH_URL or the client's default address, where a
real server may run: without BIGMATH_TEST_URL they are skipped. The retry
tests run against a small scripted HTTP server in this file, which answers
busy or "not reached in time" on cue.
"""

import http.server
import json
import logging
import os
import socket
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bigmath_client as bc  # noqa: E402

logging.getLogger("bigmath_client").setLevel(logging.ERROR)


def setUpModule():
    url = os.environ.get("BIGMATH_TEST_URL")
    if not url:
        raise unittest.SkipTest("BIGMATH_TEST_URL is not set: the Go test suite starts a server and sets it")
    os.environ["BIGMATH_URL"] = url
    for name in ("BIGMATH_API_TOKEN", "BIGMATH_RECORD", "BIGMATH_CHUNK", "BIGMATH_RETRIES", "BIGMATH_BUSY_RETRIES"):
        os.environ.pop(name, None)


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
        old = os.environ["BIGMATH_URL"]  # set by setUpModule
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


class ScriptedServer:
    """An HTTP server that answers POST /v1/reward/batch from a script: a
    list of functions of the request's items returning (status, headers,
    body). It records the items of every request."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                items = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["items"]
                outer.requests.append(items)
                step = outer.script.pop(0) if len(outer.script) > 1 else outer.script[0]
                status, headers, body = step(items)
                data = json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        self.old = os.environ["BIGMATH_URL"]
        os.environ["BIGMATH_URL"] = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        return self

    def __exit__(self, *exc):
        os.environ["BIGMATH_URL"] = self.old
        self.httpd.shutdown()
        self.httpd.server_close()


def busy(items):
    return 503, {"Retry-After": "0"}, {"error": {"code": "over_capacity", "message": "busy"}}


def correct(items):
    return 200, {}, {"results": [{"reward": 1.0, "correct": True, "extracted": it["response"], "reason": "equal"} for it in items]}


def late(*late_indexes):
    def step(items):
        out = correct(items)[2]["results"]
        for i in late_indexes:
            out[i] = {"reward": 0.0, "correct": False, "extracted": "", "reason": "deadline_exceeded", "retryable": True}
        return 200, {}, {"results": out}

    return step


class RetryTest(unittest.TestCase):
    def test_busy_is_retried_after_retry_after(self):
        with ScriptedServer([busy, busy, correct]) as srv:
            r = bc.compute_score("d", "\\boxed{1}", "1")
        self.assertEqual(r["score"], 1.0)
        self.assertEqual(len(srv.requests), 3)

    def test_busy_a_bounded_number_of_times(self):
        os.environ["BIGMATH_BUSY_RETRIES"] = "2"
        try:
            with ScriptedServer([busy]) as srv:
                with self.assertRaises(bc.BigmathError) as cm:
                    bc.compute_score("d", "\\boxed{1}", "1")
        finally:
            del os.environ["BIGMATH_BUSY_RETRIES"]
        self.assertEqual(len(srv.requests), 3)
        self.assertIn("HTTP 503", str(cm.exception))

    def test_only_items_not_reached_are_resent(self):
        n = 6
        with ScriptedServer([late(1, 4), late(1), correct]) as srv:
            out = bc.compute_score(data_sources=["d"] * n, solution_strs=[str(i) for i in range(n)], ground_truths=["1"] * n, extra_infos=None)
        self.assertEqual([r["score"] for r in out], [1.0] * n)
        self.assertEqual([[it["response"] for it in req] for req in srv.requests], [[str(i) for i in range(n)], ["1", "4"], ["4"]])

    def test_never_reached_is_zero_not_an_exception(self):
        os.environ["BIGMATH_RETRIES"] = "2"
        try:
            with ScriptedServer([late(0)]) as srv:
                out = bc.compute_score(data_sources=["d"] * 2, solution_strs=["a", "b"], ground_truths=["1"] * 2, extra_infos=None)
        finally:
            del os.environ["BIGMATH_RETRIES"]
        self.assertEqual([(r["score"], r["reason"]) for r in out], [(0.0, "deadline_exceeded"), (1.0, "equal")])
        self.assertEqual(len(srv.requests), 3)

    def test_a_result_that_is_not_an_object_is_zero(self):
        with ScriptedServer([lambda items: (200, {}, {"results": [None] * len(items)})]):
            r = bc.compute_score("d", "\\boxed{1}", "1")
        self.assertEqual((r["score"], r["reason"]), (0.0, "invalid_result"))


class ItemProblemTest(unittest.TestCase):
    def test_one_bad_item_does_not_raise(self):
        # The test server has no database: a problem_id cannot be looked up.
        out = bc.compute_score(
            data_sources=["d"] * 3,
            solution_strs=["\\boxed{1}", "\\boxed{2}", "\\boxed{3}"],
            ground_truths=["1", "", "3"],
            extra_infos=[None, {"problem_id": "no-such-problem"}, None],
        )
        self.assertEqual([r["score"] for r in out], [1.0, 0.0, 1.0])
        self.assertIn(out[1]["reason"], ("unavailable", "unknown_problem"))


if __name__ == "__main__":
    if not os.environ.get("BIGMATH_TEST_URL"):
        sys.exit("BIGMATH_TEST_URL is not set: the Go test suite (api/reward_python_test.go) starts a server and sets it")
    unittest.main(verbosity=1)
