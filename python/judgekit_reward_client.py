"""judgekit reward client: call a running ``judgekit serve-reward`` from Python trainers.

One file, standard library only. Copy it next to your training script or put this folder on
``PYTHONPATH``. It gives, over the same server and the same reward:

* TRL:      ``reward_funcs=[JudgekitRewardClient(url).trl_reward_func()]`` for ``GRPOTrainer``.
            Prompts (text or chat messages), completions, ``completion_ids`` and dataset columns
            are sent as TRL passes them (route ``/trl``); the reward components are passed to
            TRL's ``log_metric`` when the trainer provides it.
* verl:     ``custom_reward_function.path=python/judgekit_reward_client.py`` with
            ``custom_reward_function.name=compute_score`` (or ``compute_score_batched`` with
            ``reward_model.reward_manager=batch``); the server URL comes from
            ``JUDGEKIT_REWARD_URL`` or ``reward_kwargs.url`` (route ``/verl``).
* OpenRLHF: ``--remote_rm_url $(python judgekit_reward_client.py --openrlhf-url)``, i.e.
            ``<url>/get_reward``; OpenRLHF calls the server itself.

Retries follow OpenRLHF's ``request_api_wrapper`` (openrlhf/utils/remote_rm_utils.py): up to
5 tries, 1 s apart, 180 s timeout each. Connection errors, timeouts, 408, 429 and 5xx are
retried; other 4xx answers are raised at once as :class:`JudgekitRewardError` with the server's
message (a bad request never turns into a reward).
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, List, Optional, Sequence

__all__ = [
    "JudgekitRewardClient",
    "JudgekitRewardError",
    "compute_score",
    "compute_score_batched",
    "DEFAULT_URL",
]

DEFAULT_URL = "http://127.0.0.1:5000"
RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}


class JudgekitRewardError(RuntimeError):
    """The server refused a request (4xx) or stayed unreachable after every retry."""

    def __init__(self, message: str, status: Optional[int] = None):
        super().__init__(message)
        self.status = status


class JudgekitRewardClient:
    """A client of one judgekit reward server.

    :param url: base URL of ``judgekit serve-reward`` (default ``$JUDGEKIT_REWARD_URL`` or
        ``http://127.0.0.1:5000``).
    :param token: bearer token (default ``$JUDGEKIT_REWARD_TOKEN``; unset = none).
    :param max_tries: tries per request (OpenRLHF: 5).
    :param retry_delay_s: pause between tries (OpenRLHF: 1 s).
    :param timeout_s: per-try timeout (OpenRLHF: 180 s).
    :param warn: where warnings from the server (``notes`` starting with ``WARNING``) go; default
        ``sys.stderr``. Pass ``None`` to drop them.
    """

    def __init__(
        self,
        url: Optional[str] = None,
        token: Optional[str] = None,
        max_tries: int = 5,
        retry_delay_s: float = 1.0,
        timeout_s: float = 180.0,
        warn: Optional[Any] = sys.stderr,
    ):
        self.url = (url or os.environ.get("JUDGEKIT_REWARD_URL") or DEFAULT_URL).rstrip("/")
        self.token = token if token is not None else (os.environ.get("JUDGEKIT_REWARD_TOKEN") or None)
        if max_tries < 1:
            raise ValueError("max_tries must be >= 1")
        self.max_tries = max_tries
        self.retry_delay_s = retry_delay_s
        self.timeout_s = timeout_s
        self.warn = warn
        self.tries = 0  # total HTTP attempts made (for tests and logs)

    @property
    def openrlhf_url(self) -> str:
        """The URL to give OpenRLHF's ``--remote_rm_url`` (``--reward.remote_url``)."""
        return self.url + "/get_reward"

    # -- transport -----------------------------------------------------------------------
    def post(self, path: str, payload: Dict[str, Any]) -> Dict[str, Any]:
        """POST ``payload`` as JSON to ``path`` with OpenRLHF-style retries; return the JSON reply."""
        data = json.dumps(payload).encode("utf-8")
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = "Bearer " + self.token
        last: Optional[BaseException] = None
        for attempt in range(1, self.max_tries + 1):
            self.tries += 1
            req = urllib.request.Request(self.url + path, data=data, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=self.timeout_s) as res:
                    body = json.loads(res.read().decode("utf-8"))
                if not isinstance(body, dict):
                    raise JudgekitRewardError("the reward server answered with a non-object JSON body")
                self._warn(body.get("notes"))
                return body
            except urllib.error.HTTPError as err:
                message = _error_text(err)
                if err.code not in RETRYABLE_STATUS:
                    raise JudgekitRewardError(f"reward server {path}: HTTP {err.code}: {message}", err.code) from None
                last = JudgekitRewardError(f"HTTP {err.code}: {message}", err.code)
            except (urllib.error.URLError, TimeoutError, ConnectionError, json.JSONDecodeError) as err:
                last = err
            if attempt < self.max_tries:
                time.sleep(self.retry_delay_s)
        raise JudgekitRewardError(
            f"reward server {self.url}{path} failed after {self.max_tries} tries: {last}"
        )

    def _warn(self, notes: Any) -> None:
        if self.warn is None or not isinstance(notes, list):
            return
        for note in notes:
            if isinstance(note, str) and note.startswith("WARNING"):
                print(f"judgekit reward: {note}", file=self.warn)

    # -- OpenRLHF ------------------------------------------------------------------------
    def openrlhf(self, queries: Sequence[str], prompts: Optional[Sequence[str]] = None,
                 labels: Optional[Sequence[Any]] = None, extra_logs: bool = False) -> Dict[str, Any]:
        """OpenRLHF's protocol: ``{query, prompts, labels}`` → ``{rewards, scores}``, plus
        ``extra_logs`` (every reward component per sample) with ``extra_logs=True``."""
        payload: Dict[str, Any] = {"query": list(queries)}
        if prompts is not None:
            payload["prompts"] = list(prompts)
        if labels is not None:
            payload["labels"] = list(labels)
        return self.post("/get_reward?extra_logs=1" if extra_logs else "/get_reward", payload)

    # -- TRL -----------------------------------------------------------------------------
    def trl_reward_func(self, ground_truth_column: str = "ground_truth",
                        name: str = "judgekit") -> Callable[..., List[float]]:
        """A reward function for TRL's ``GRPOTrainer(reward_funcs=[...])``.

        TRL calls it with ``prompts``, ``completions``, ``completion_ids`` and every dataset
        column as keyword arguments. JSON-serialisable columns are forwarded; the gold label is
        ``ground_truth_column``. Component means go to ``log_metric(f"{name}/{component}", v)``
        when TRL passes ``log_metric``.
        """
        client = self

        def reward_func(prompts, completions, completion_ids=None, **kwargs) -> List[float]:
            payload: Dict[str, Any] = {
                "prompts": list(prompts),
                "completions": list(completions),
                "ground_truth_column": ground_truth_column,
            }
            if completion_ids is not None:
                payload["completion_ids"] = [list(map(int, ids)) for ids in completion_ids]
            for key, value in kwargs.items():
                if key in payload or key in ("trainer_state", "log_metric", "log_extra"):
                    continue
                try:
                    json.dumps(value)
                except (TypeError, ValueError):
                    continue
                payload[key] = value
            reply = client.post("/trl", payload)
            rewards = [float(r) for r in reply["rewards"]]
            log_metric = kwargs.get("log_metric")
            if callable(log_metric):
                for comp, values in (reply.get("components") or {}).items():
                    if values:
                        log_metric(f"{name}/{comp}", sum(values) / len(values))
            return rewards

        reward_func.__name__ = name
        return reward_func

    # -- verl ----------------------------------------------------------------------------
    def verl_compute_score(self, data_source: str, solution_str: str, ground_truth: Any,
                           extra_info: Optional[Dict[str, Any]] = None,
                           sequence_prefix: str = "") -> Dict[str, float]:
        """verl's ``compute_score`` for one sample → ``{"score": …, <components>}``."""
        payload = {
            "data_source": data_source,
            "solution_str": solution_str,
            "ground_truth": ground_truth,
            "extra_info": _jsonable(extra_info),
            "sequence_prefix": sequence_prefix,
        }
        reply = self.post("/verl", payload)
        reply.pop("notes", None)
        return {k: float(v) for k, v in reply.items()}

    def verl_compute_score_batched(self, data_sources, solution_strs, ground_truths, extra_infos=None,
                                   sequence_prefix: str = "") -> List[Dict[str, float]]:
        """verl's batched ``compute_score`` (``reward_manager=batch``) → one dict per sample."""
        payload = {
            "data_sources": list(data_sources),
            "solution_strs": list(solution_strs),
            "ground_truths": list(ground_truths),
            "extra_infos": None if extra_infos is None else [_jsonable(x) for x in extra_infos],
            "sequence_prefix": sequence_prefix,
        }
        reply = self.post("/verl", payload)
        return [{k: float(v) for k, v in r.items()} for r in reply["results"]]


def _error_text(err: "urllib.error.HTTPError") -> str:
    try:
        body = json.loads(err.read().decode("utf-8"))
        return str(body.get("error", body))
    except Exception:  # noqa: BLE001 - any unreadable error body
        return err.reason if isinstance(err.reason, str) else "no message"


def _jsonable(x: Any) -> Any:
    if x is None:
        return None
    try:
        json.dumps(x)
        return x
    except (TypeError, ValueError):
        if isinstance(x, dict):
            return {k: _jsonable(v) for k, v in x.items() if _is_jsonable(v)}
        return None


def _is_jsonable(x: Any) -> bool:
    try:
        json.dumps(x)
        return True
    except (TypeError, ValueError):
        return False


_default_client: Optional[JudgekitRewardClient] = None


def _client(url: Optional[str]) -> JudgekitRewardClient:
    global _default_client
    if url is not None:
        return JudgekitRewardClient(url)
    if _default_client is None:
        _default_client = JudgekitRewardClient()
    return _default_client


def compute_score(data_source, solution_str, ground_truth, extra_info=None, url=None,
                  sequence_prefix: str = "", **_ignored):
    """verl ``custom_reward_function`` entry point (one sample). ``url`` and ``sequence_prefix``
    come from ``custom_reward_function.reward_kwargs``; the URL defaults to ``$JUDGEKIT_REWARD_URL``."""
    return _client(url).verl_compute_score(data_source, solution_str, ground_truth, extra_info,
                                           sequence_prefix=sequence_prefix)


def compute_score_batched(data_sources, solution_strs, ground_truths, extra_infos=None, url=None,
                          sequence_prefix: str = "", **_ignored):
    """verl ``custom_reward_function`` for ``reward_model.reward_manager=batch``."""
    return _client(url).verl_compute_score_batched(data_sources, solution_strs, ground_truths,
                                                   extra_infos, sequence_prefix=sequence_prefix)


if __name__ == "__main__":
    if "--openrlhf-url" in sys.argv:
        print(JudgekitRewardClient().openrlhf_url)
    else:
        print(__doc__)
