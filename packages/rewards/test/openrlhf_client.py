"""Post to a judgekit reward server the way OpenRLHF's remote reward function does.

OpenRLHF (openrlhf/utils/remote_rm_utils.py, request_api_wrapper / remote_rm_fn) sends
`requests.post(url, json={"query": ..., "prompts": ..., "labels": ...}, headers={"Content-Type":
"application/json"}, timeout=180)` and reads `response.json()["rewards"]`. This script runs named
scenarios and prints one JSON line: scenario -> {"status": code, "body": json} or {"exception": name}.

usage: python3 openrlhf_client.py URL TOKEN_OR_- SCENARIO...
"""
import http.client
import json
import sys
from urllib.parse import urlsplit

import requests

GOOD = "<|im_start|>assistant\n<think>ok</think><answer>8</answer><answer>6</answer><|im_end|>"


def post(url, data, token=None, raw=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        if raw is not None:
            r = requests.post(url=url, data=raw, headers=headers, timeout=180)
        else:
            r = requests.post(url=url, json=data, headers=headers, timeout=180)
    except requests.RequestException as e:  # what OpenRLHF logs and retries on
        return {"exception": type(e).__name__, "message": str(e)[:200]}
    try:
        body = r.json()
    except ValueError:
        body = r.text[:200]
    return {"status": r.status_code, "body": body}


def http_client_post(url, size, token):
    """The same post through the standard library's http.client, which older urllib3 (1.x) wraps:
    it writes the whole body before reading, so a server that closes early shows up as a reset."""
    parts = urlsplit(url)
    body = json.dumps({"query": ["x" * size], "prompts": None, "labels": ["8 6"]}).encode()
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=180)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request("POST", "/get_reward", body=body, headers=headers)
        r = conn.getresponse()
        return {"status": r.status, "body": json.loads(r.read() or b"null")}
    except (OSError, http.client.HTTPException) as e:
        return {"exception": type(e).__name__, "message": str(e)[:200]}
    finally:
        conn.close()


def main():
    url, token = sys.argv[1], sys.argv[2]
    token = None if token == "-" else token
    reward_url = url + "/get_reward"
    out = {}
    for name in sys.argv[3:]:
        if name == "ok":
            out[name] = post(reward_url, {"query": [GOOD, GOOD], "prompts": ["p", "p"], "labels": ["8 6", "2 9"]}, token)
        elif name.startswith("labels:"):
            labels = json.loads(name[len("labels:"):])
            out[name] = post(reward_url, {"query": [GOOD] * len(labels), "prompts": None, "labels": labels}, token)
        elif name.startswith("oversize:"):
            size = int(name[len("oversize:"):])
            out[name] = post(reward_url, {"query": ["x" * size], "prompts": None, "labels": ["8 6"]}, token)
        elif name.startswith("http.client-oversize:"):
            out[name] = http_client_post(url, int(name.split(":")[1]), token)
        elif name == "no-token":
            out[name] = post(reward_url, {"query": [GOOD], "prompts": None, "labels": ["8 6"]}, None)
        elif name == "malformed":
            out[name] = post(reward_url, None, token, raw=b'{"query": [')
        elif name == "then-ok":
            out[name] = post(reward_url, {"query": [GOOD], "prompts": None, "labels": ["8 6"]}, token)
        else:
            out[name] = {"exception": "UnknownScenario"}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
