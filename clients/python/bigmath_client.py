"""Reward functions that call a bigmath server, for verl and TRL.

One module, standard library only (urllib, json, concurrent.futures): copy it
next to your training script or put clients/python on PYTHONPATH.

verl (custom reward function; the batch form is used by the "batch" reward
manager, the single form by the others)::

    reward:
      custom_reward_function:
        path: /path/to/bigmath_client.py
        name: compute_score

TRL::

    from bigmath_client import reward_func
    trainer = GRPOTrainer(..., reward_funcs=[reward_func])

Configuration (environment):

    BIGMATH_URL        server address (default http://127.0.0.1:8080)
    BIGMATH_API_TOKEN  bearer token, when the server requires one
    BIGMATH_TIMEOUT    seconds per HTTP request (default 60)
    BIGMATH_RETRIES    retries after a connection error, and rounds of resending
                       items the server did not reach in time (default 5)
    BIGMATH_BUSY_RETRIES  retries of a request the server answers 503 or 429
                       (busy), each after the Retry-After it sends, at most
                       BIGMATH_MAX_WAIT seconds (default 5 retries, 30 s); other
                       HTTP errors and a read timeout are raised at once
    BIGMATH_CHUNK      items per HTTP request (default 2000, at most 10000)
    BIGMATH_PARALLEL   concurrent HTTP requests for large batches (default 4)
    BIGMATH_RECORD     "1": record outcomes on the server for rows that carry
                       extra_info["problem_id"] (verl) or a problem_id column (TRL)
    BIGMATH_GOLD_COLUMN  TRL: the dataset column holding the gold answer
                       (default: the first of solution, answer, ground_truth, label)

A server that cannot be reached, or stays busy, after the retries raises
BigmathError: a reward that silently became 0 would train the model on noise.

One item's problem never raises: an item the server could not check (an
invalid item, an unknown problem_id, a response too costly to check) gets
reward 0 with the server's reason, logged on the "bigmath_client" logger. An
item that came back retryable (reason "deadline_exceeded", "retryable": true:
the server's time for the batch ran out before it reached the item, which says
nothing about the answer) is sent again, alone with the other such items, up
to BIGMATH_RETRIES times; should it still not be reached it gets reward 0 with
that reason, logged as a warning.
"""

import concurrent.futures
import json
import logging
import os
import time
import urllib.error
import urllib.request

__all__ = ["BigmathError", "check", "compute_score", "reward_func"]

DEFAULT_URL = "http://127.0.0.1:8080"
MAX_BATCH = 10000
GOLD_COLUMNS = ("solution", "answer", "ground_truth", "label")
# Reasons of items the server did not check for want of time: resent.
RETRYABLE_REASONS = frozenset({"deadline_exceeded"})
BUSY_STATUSES = (429, 503)

log = logging.getLogger("bigmath_client")


class BigmathError(Exception):
    """The bigmath server could not be reached or refused the request."""


def _env(name, default, parse, want):
    """Reads the environment variable name with parse, default when unset."""
    v = os.environ.get(name, "")
    try:
        return parse(v) if v else default
    except ValueError:
        raise BigmathError(f"{name}={v!r}: want {want}") from None


def _env_int(name, default):
    return _env(name, default, int, "an integer")


def _env_float(name, default):
    return _env(name, default, float, "a number of seconds")


def _post(path, body):
    """POSTs body as JSON and returns the decoded answer.

    Connection errors (refused, reset, DNS, connect timeout) are retried with
    exponential back-off, and a busy answer (503, 429) after its Retry-After,
    a bounded number of times; another HTTP error status or a read timeout is
    raised at once.
    """
    url = os.environ.get("BIGMATH_URL", DEFAULT_URL).rstrip("/") + path
    timeout = _env_float("BIGMATH_TIMEOUT", 60.0)
    retries = _env_int("BIGMATH_RETRIES", 5)
    busy_retries = _env_int("BIGMATH_BUSY_RETRIES", 5)
    max_wait = _env_float("BIGMATH_MAX_WAIT", 30.0)
    busy = 0
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    token = os.environ.get("BIGMATH_API_TOKEN")
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode("utf-8")
    attempt = 0
    while True:
        req = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")
            if e.code in BUSY_STATUSES and busy < busy_retries:
                wait = _retry_after(e.headers.get("Retry-After"), busy, max_wait)
                busy += 1
                log.info("POST %s: HTTP %d (busy): retry %d of %d in %.1f s", url, e.code, busy, busy_retries, wait)
                time.sleep(wait)
                continue
            try:
                err = json.loads(detail)["error"]
                detail = err.get("message", detail)
                if err.get("field"):
                    detail += f" (field {err['field']})"
            except (ValueError, KeyError, TypeError):
                pass
            if e.code in BUSY_STATUSES:
                detail += f" (still busy after {busy} retries, BIGMATH_BUSY_RETRIES)"
            raise BigmathError(f"POST {url}: HTTP {e.code}: {detail}") from None
        except (urllib.error.URLError, ConnectionError) as e:
            if attempt == retries:
                reason = getattr(e, "reason", e)
                raise BigmathError(f"POST {url}: cannot connect after {retries + 1} attempts: {reason}") from None
            time.sleep(min(0.25 * 2**attempt, 5.0))
            attempt += 1
        except TimeoutError:
            raise BigmathError(f"POST {url}: no answer within {timeout} s (BIGMATH_TIMEOUT)") from None


def _retry_after(header, n, max_wait):
    """Seconds to wait before retry n (from 0) of a busy answer: the
    Retry-After header when it is a number of seconds, else a back-off."""
    try:
        wait = float(header)
    except (TypeError, ValueError):
        wait = 0.5 * 2**n
    return max(0.0, min(wait, max_wait))


def _retryable(r):
    return isinstance(r, dict) and (r.get("retryable") is True or r.get("reason") in RETRYABLE_REASONS)


def _zero(reason, detail):
    return {"reward": 0.0, "correct": False, "extracted": "", "reason": reason, "detail": detail}


def check(items):
    """Checks reward items on the server and returns one result per item, in order.

    Each item is a dict with "response" and either "gold" or "problem_id"
    (optionally "record": True, "id"). A result is a dict with "reward",
    "correct", "extracted", "reason", "verifier_version", ... Large lists are
    sent in chunks, several at a time.
    """
    items = list(items)
    if not items:
        return []
    chunk = max(1, min(_env_int("BIGMATH_CHUNK", 2000), MAX_BATCH))
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]

    if len(chunks) == 1:
        return _send(chunks[0])
    workers = max(1, _env_int("BIGMATH_PARALLEL", 4))
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
        out = []
        for part in pool.map(_send, chunks):
            out.extend(part)
        return out


def _send(part):
    """Checks one chunk; resends the items that came back retryable, alone,
    up to BIGMATH_RETRIES times. A result that is not a verdict becomes
    reward 0 with a reason, logged."""
    results = _post_batch(part)
    rounds = _env_int("BIGMATH_RETRIES", 5)
    for n in range(rounds):
        again = [i for i, r in enumerate(results) if _retryable(r)]
        if not again:
            break
        log.info("%d of %d items not reached in time: resending them (round %d of %d)", len(again), len(part), n + 1, rounds)
        for i, r in zip(again, _post_batch([part[i] for i in again])):
            results[i] = r
    for i, r in enumerate(results):
        if not isinstance(r, dict):
            results[i] = _zero("invalid_result", f"the server's result {r!r} is not an object")
            log.warning("item %d: %s: reward 0", i, results[i]["detail"])
        elif _retryable(r):
            log.warning("item %d: still not reached after %d rounds (%s): reward 0", i, rounds, r.get("reason"))
        elif r.get("reason") in ("invalid_item", "unknown_problem", "unavailable", "internal_error"):
            log.warning("item %d: %s: %s: reward 0", i, r.get("reason"), r.get("detail", ""))
    return results


def _post_batch(part):
    results = _post("/v1/reward/batch", {"items": part}).get("results")
    if not isinstance(results, list) or len(results) != len(part):
        n = len(results) if isinstance(results, list) else "no"
        raise BigmathError(f"the server returned {n} results for {len(part)} items")
    return results


def _record():
    return os.environ.get("BIGMATH_RECORD", "") in ("1", "true", "yes")


def _item(response, gold, problem_id=None):
    item = {"response": "" if response is None else str(response)}
    if gold is not None and not (isinstance(gold, str) and gold == "" and problem_id):
        item["gold"] = gold if isinstance(gold, (int, float)) and not isinstance(gold, bool) else str(gold)
    if problem_id:
        item["problem_id"] = str(problem_id)
        if _record():
            item["record"] = True
    return item


def _verl_result(r):
    return {
        "score": float(r.get("reward", 0.0)),
        "acc": bool(r.get("correct", False)),
        "pred": r.get("extracted", ""),
        "reason": r.get("reason", ""),
    }


def _problem_id(extra_info):
    if isinstance(extra_info, dict):
        return extra_info.get("problem_id")
    return None


def compute_score(
    data_source=None,
    solution_str=None,
    ground_truth=None,
    extra_info=None,
    data_sources=None,
    solution_strs=None,
    ground_truths=None,
    extra_infos=None,
    **kwargs,
):
    """verl custom reward function, single or batch form.

    Single form (naive, dapo, prime... managers):
        compute_score(data_source, solution_str, ground_truth, extra_info=None)
        -> {"score": 1.0 or 0.0, "acc": bool, "pred": str, "reason": str}

    Batch form (the "batch" reward manager):
        compute_score(data_sources=[...], solution_strs=[...],
                      ground_truths=[...], extra_infos=[...])
        -> a list of such dicts, one per sample, in order.

    The gold answer is ground_truth; a row whose extra_info carries a
    problem_id and whose ground_truth is empty is checked against that
    problem's gold on the server.
    """
    if solution_strs is not None:
        n = len(solution_strs)
        golds = list(ground_truths) if ground_truths is not None else [None] * n
        infos = list(extra_infos) if extra_infos is not None else [None] * n
        if len(golds) != n or len(infos) != n:
            raise ValueError(f"compute_score: {n} solution_strs but {len(golds)} ground_truths and {len(infos)} extra_infos")
        items = [_item(s, g, _problem_id(x)) for s, g, x in zip(solution_strs, golds, infos)]
        return [_verl_result(r) for r in check(items)]
    return _verl_result(check([_item(solution_str, ground_truth, _problem_id(extra_info))])[0])


def _completion_text(completion):
    """The text of a TRL completion: a string, or a list of chat messages."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return str(completion.get("content", ""))
    if isinstance(completion, (list, tuple)):
        texts = [m.get("content", "") for m in completion if isinstance(m, dict) and m.get("role", "assistant") == "assistant"]
        if not texts:
            texts = [m.get("content", "") for m in completion if isinstance(m, dict)]
        return "\n".join(str(t) for t in texts if t is not None)
    return "" if completion is None else str(completion)


def reward_func(prompts=None, completions=None, **kwargs):
    """TRL reward function: one float (1.0 or 0.0) per completion.

    The gold answers come from a dataset column passed in kwargs: the one
    named by BIGMATH_GOLD_COLUMN, else the first of solution, answer,
    ground_truth, label. Conversational completions (lists of messages) are
    read from their assistant messages. With BIGMATH_RECORD=1 and a
    problem_id column, outcomes are recorded on the server.
    """
    completions = list(completions or [])
    column = os.environ.get("BIGMATH_GOLD_COLUMN")
    names = (column,) if column else GOLD_COLUMNS
    golds = None
    for name in names:
        if kwargs.get(name) is not None:
            golds = list(kwargs[name])
            break
    ids = kwargs.get("problem_id")
    if golds is None and ids is None:
        raise ValueError(
            "reward_func: no gold answers: the dataset needs one of the columns "
            + ", ".join(names)
            + " (or set BIGMATH_GOLD_COLUMN), or a problem_id column"
        )
    n = len(completions)
    golds = golds if golds is not None else [None] * n
    ids = list(ids) if ids is not None else [None] * n
    if len(golds) != n or len(ids) != n:
        raise ValueError(f"reward_func: {n} completions but {len(golds)} gold answers")
    items = [_item(_completion_text(c), g, i) for c, g, i in zip(completions, golds, ids)]
    return [float(r.get("reward", 0.0)) for r in check(items)]
