#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat-completions server for c2v's end-to-end tests.

Usage: fake_openai.py SCRIPT.json LOG.jsonl

Listens on 127.0.0.1 at a free port and prints that port as its first line of stdout.
SCRIPT is a JSON list of rules, tried in order against each POST /v1/chat/completions:

  {"role": "planner"|"coder",          # planner: the body has response_format
   "section": "Zebra",                 # a substring of some non-system message
   "kind": "first"|"repair"|"regenerate",
   "responses": [RESPONSE, ...]}       # consumed in order; the last one repeats

A RESPONSE is an object with any of:
  status (default 200), headers ({"Retry-After": "1"}),
  content (text of a chat completion), usage ([prompt_tokens, completion_tokens]),
  echo_region: [old, new]   reply with the ```yaml block of the last user message, old -> new,
  error (message of an {"error": {...}} body), raw (a body sent as is),
  truncate: true            announce a Content-Length larger than the body, then close,
  finish: "length"          the finish_reason of a `content` reply (default "stop"),
  hang: seconds             sleep before answering.
In `content`, `error` and `raw`, "{auth}" stands for the bearer token received (to test redaction).

POST /v1/audio/speech (a speech endpoint) is matched by rules with "role": "speech"
("section" then matches a substring of the text to speak); its RESPONSE may give
  wav: seconds              a 24 kHz mono 16-bit WAV of a quiet tone that long.

SCRIPT is read again on every request; when its bytes change, rule queues start over.
Every request is appended to LOG as one JSON line. The API key itself is never logged.
"""
import io
import json
import math
import re
import struct
import wave
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCRIPT_PATH, LOG_PATH = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
STATE = {"bytes": None, "rules": [], "used": []}


def load_rules():
    """The current rules and their use counts, reloaded when the script changed."""
    with open(SCRIPT_PATH, "rb") as f:
        data = f.read()
    if data != STATE["bytes"]:
        STATE["bytes"], STATE["rules"] = data, json.loads(data)
        STATE["used"] = [0] * len(STATE["rules"])
    return STATE["rules"]


def classify(body):
    messages = body.get("messages") or []
    # A vision critic's message carries image parts: its content is a list, reduced to its text here.
    images = sum(len([p for p in m["content"] if p.get("type") == "image_url"])
                 for m in messages if isinstance(m.get("content"), list))
    for m in messages:
        if isinstance(m.get("content"), list):
            m["content"] = " ".join(p.get("text", "") for p in m["content"] if p.get("type") == "text")
    system = " ".join(m.get("content", "") for m in messages if m.get("role") == "system")
    planner = "response_format" in body or "lecture_lines" in system
    role = "critic" if images else ("planner" if planner else "coder")
    users = [m.get("content", "") for m in messages if m.get("role") == "user"]
    last = users[-1] if users else ""
    kind = "first"
    if "Reply with the corrected version" in last:
        kind = "repair"
    elif "An earlier attempt had these problems" in last:
        kind = "regenerate"
    text = "\n".join(m.get("content", "") for m in messages if m.get("role") != "system")
    found = re.search(r"^Section: (.*)$", text, re.M) or re.search(r'section "([^"]*)"', text)
    block = re.search(r"```yaml\n(.*?)\n```", last, re.S)
    lines = re.search(r"Lines \d+ to \d+", last)
    return {
        "images": images, "role": role, "kind": kind, "section": found.group(1) if found else None, "text": text,
        "last_user": last, "region": block.group(1) if block else None, "lines": lines.group(0) if lines else None,
    }


def matches(rule, info):
    return (rule.get("role") in (None, info["role"]) and rule.get("kind") in (None, info["kind"])
            and (rule.get("section") is None or rule["section"] in info["text"]))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the JSON log is the record
        pass

    def send(self, status, body, headers=None, declared=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(declared if declared is not None else len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        path = self.path.rstrip("/")
        if path not in ("/v1/chat/completions", "/v1/audio/speech"):
            return self.send(404, json.dumps({"error": {"message": "no route " + self.path}}).encode())
        body = json.loads(raw or b"{}")
        if path == "/v1/audio/speech":
            text = body.get("input", "")
            info = {"images": 0, "role": "speech", "kind": "first", "section": None, "text": text,
                    "last_user": text, "region": None, "lines": None}
        else:
            info = classify(body)
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        with LOCK:
            rules = load_rules()
            index = next((i for i, r in enumerate(rules) if matches(r, info)), None)
            response = {"status": 418, "error": "fake_openai: no rule matches this request"}
            if index is not None and rules[index].get("responses"):
                queue = rules[index]["responses"]
                response = queue[min(STATE["used"][index], len(queue) - 1)]
                STATE["used"][index] += 1
            entry = {
                "t": time.time(), "role": info["role"], "kind": info["kind"], "section": info["section"], "images": info["images"],
                "model": body.get("model"), "temperature": body.get("temperature"), "auth": "yes" if auth else "no",
                "messages": len(body.get("messages") or []), "last_user": info["last_user"][:200],
                "lines": info["lines"], "region": info["region"], "rule": index, "status": response.get("status", 200),
                "keys": sorted(body.keys()), "roles": [m.get("role") for m in body.get("messages") or []],
            }
            with open(LOG_PATH, "a") as log:
                log.write(json.dumps(entry) + "\n")
        self.answer(response, body, info, token)

    def answer(self, response, body, info, token):
        if response.get("hang"):
            time.sleep(response["hang"])
        status, headers = response.get("status", 200), response.get("headers")
        if "wav" in response:
            buffer = io.BytesIO()
            with wave.open(buffer, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(24000)
                frames = int(response["wav"] * 24000)
                w.writeframes(b"".join(struct.pack("<h", int(6000 * math.sin(2 * math.pi * 220 * i / 24000))) for i in range(frames)))
            self.send_response(status)
            self.send_header("Content-Type", "audio/wav")
            self.send_header("Content-Length", str(len(buffer.getvalue())))
            self.end_headers()
            self.wfile.write(buffer.getvalue())
            self.wfile.flush()
            return
        if "raw" in response:
            payload = response["raw"].replace("{auth}", token).encode()
        elif "error" in response:
            message = response["error"].replace("{auth}", token)
            payload = json.dumps({"error": {"message": message, "type": "fake_error"}}).encode()
        else:
            content = response.get("content", "").replace("{auth}", token)
            if "echo_region" in response:
                old, new = response["echo_region"]
                content = "```yaml\n" + (info["region"] or "").replace(old, new) + "\n```"
            tokens_in, tokens_out = response.get("usage", [10, 5])
            payload = json.dumps({
                "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": body.get("model"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                             "finish_reason": response.get("finish", "stop")}],
                "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out, "total_tokens": tokens_in + tokens_out},
            }).encode()
        if response.get("truncate"):
            self.close_connection = True
            return self.send(status, payload[: len(payload) // 2], headers, declared=len(payload))
        self.send(status, payload, headers)

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # A parent may spawn us with SIGTERM blocked (Swift's Process inherits its thread's mask).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
