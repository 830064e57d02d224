#!/usr/bin/python3
"""h11_parser: Python's h11 (Debian python3-h11) behind httpconform's exec
contract (conformance/README.md, "The exec contract").

Reads the raw request bytes on stdin and prints one JSON object: the
requests h11 parsed, in order, as h11 reports them. h11 is a server-side
state machine; between requests this wrapper answers each one with an
empty 200 so that h11 moves on to the next (pipelining), and it never
feeds EOF: the input ending is the connection staying open, as in live
mode. Limits are h11's defaults (16 KiB of incomplete event), as deployed.

    httpconform --exec='h11=/usr/bin/python3 conformance/examples/h11_parser.py'
"""
import base64
import json
import sys

import h11


def text(octets):
    # The contract's rule: octet N is code point U+00NN.
    return octets.decode("latin-1")


def fields(headers):
    # raw_items keeps the names as sent and the wire order.
    return [[text(name), text(value)] for name, value in headers.raw_items()]


def parse(data):
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(data)
    messages, current, error, consumed = [], None, None, 0
    while True:
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError as e:
            error = {"status": e.error_status_hint, "reason": str(e) or type(e).__name__}
            break
        if event is h11.NEED_DATA or event is h11.PAUSED or isinstance(event, h11.ConnectionClosed):
            break
        if isinstance(event, h11.Request):
            current = {
                "method": text(event.method),
                "target": text(event.target),
                "version": "HTTP/" + text(event.http_version),
                "headers": fields(event.headers),
                "body": b"",
            }
        elif isinstance(event, h11.Data):
            current["body"] += event.data
        elif isinstance(event, h11.EndOfMessage):
            # h11 leaves a protocol switch to the server. This one
            # implements none: a CONNECT is reported and ends the parse (the
            # contract's hand-over); an Upgrade is declined by answering
            # 200, after which h11 reads HTTP/1.1 again. Whether the
            # connection stays open is h11's state once that answer is sent.
            connect = conn.their_state is h11.MIGHT_SWITCH_PROTOCOL and current["method"] == "CONNECT"
            if not connect and conn.our_state is h11.SEND_RESPONSE:
                conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
                conn.send(h11.EndOfMessage())
            keep_alive = not connect and conn.their_state is h11.DONE and conn.our_state is h11.DONE
            messages.append(
                {
                    "method": current["method"],
                    "target": current["target"],
                    "version": current["version"],
                    "headers": current["headers"],
                    "trailers": fields(event.headers),
                    "body_b64": base64.b64encode(current["body"]).decode("ascii"),
                    "keep_alive": keep_alive,
                }
            )
            current = None
            consumed = len(data) - len(conn.trailing_data[0])
            if not keep_alive:
                break
            conn.start_next_cycle()
    incomplete = error is None and (current is not None or (conn.their_state is h11.IDLE and len(conn.trailing_data[0]) > 0))
    return {
        "ok": error is None,
        "error": error,
        "messages": messages,
        "incomplete": incomplete,
        "consumed": consumed,
    }


if __name__ == "__main__":
    json.dump(parse(sys.stdin.buffer.read()), sys.stdout)
    sys.stdout.write("\n")
