"""Python peer: the same chat-completions round-trips with the stdlib (http.client, one keep-alive
connection per worker thread, ThreadPoolExecutor), and sha256 cache keys of canonical JSON."""
import hashlib
import http.client
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

port, n, conc, warmup = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
local = threading.local()
prompt = "[Question]\nWhy is the sky blue?\n\n[The Start of Assistant 1's Answer]\n" + "Rayleigh scattering. " * 40


def call(i):
    conn = getattr(local, "conn", None)
    if conn is None:
        conn = local.conn = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps({"model": "judge", "messages": [{"role": "user", "content": f"{i} {prompt}"}],
                       "max_tokens": 64, "temperature": 0, "stream": False})
    conn.request("POST", "/v1/chat/completions", body, {"content-type": "application/json"})
    r = json.loads(conn.getresponse().read())
    return r["choices"][0]["message"]["content"]


with ThreadPoolExecutor(conc) as ex:
    list(ex.map(call, range(warmup)))  # same warm-up as judgekit
    c0 = time.process_time()
    t0 = time.perf_counter()
    list(ex.map(call, range(n)))
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0

keys = 20000
t0 = time.perf_counter()
for i in range(keys):
    payload = {"v": 1, "model": "judge", "messages": [{"role": "user", "content": f"{i} {prompt}"}],
               "maxTokens": 64, "temperature": 0}
    hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
kdt = time.perf_counter() - t0
print(json.dumps({"requests_per_s": n / dt, "cpu_s_per_request": cpu / n, "keys_per_s": keys / kdt}))
