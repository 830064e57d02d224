// body_blind_origin.js: a deliberately broken echo origin, for testing the
// chain judge only. It reads no message body: every request ends at the
// empty line after its head, whatever Content-Length or Transfer-Encoding
// say, so a body is read as the next request. That is the "CL.0" smuggling
// class (an origin, or one of its routes, that ignores Content-Length):
// behind any proxy that forwards a body, the origin answers a request the
// proxy never sent, which chain mode must call a desync.
//
//   node conformance/chains/testdata/body_blind_origin.js [PORT]   (0: any free port)
//
// It speaks the echo contract (conformance/README.md) with the JSON encoding
// of conformance/examples/echo_origin.js, listens on 127.0.0.1 and prints
// "listening on http://127.0.0.1:PORT/" once it accepts. Never use it as a
// server.
'use strict';

const net = require('net');
const {jsonString, jsonFields} = require('../../examples/echo_origin.js');

function answer(status, reason, headers, body) {
  let head = 'HTTP/1.1 ' + status + ' ' + reason + '\r\n';
  for (const [name, value] of headers) head += name + ': ' + value + '\r\n';
  return head + 'Content-Length: ' + Buffer.byteLength(body, 'latin1') + '\r\n\r\n' + body;
}

// respond: the answer to one request head (latin1, without its empty line);
// null when it is no request, and the connection closes after a 400.
function respond(head) {
  const lines = head.split('\r\n');
  const parts = lines[0].split(' ');
  if (parts.length !== 3 || !/^HTTP\/1\.[01]$/.test(parts[2])) return null;
  const raw = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    raw.push(line.slice(0, colon), line.slice(colon + 1));
  }
  const json = '{"method": ' + jsonString(parts[0]) + ', "target": ' + jsonString(parts[1]) +
      ', "version": ' + jsonString(parts[2]) + ', "headers": ' + jsonFields(raw) +
      ', "trailers": [], "body_b64": "", "keep_alive": true}';
  const headers = [['Content-Type', 'application/json'], ['X-Echo', 'canonical-json/1']];
  if (parts[0] === 'HEAD') return answer(200, 'OK', headers.concat([['X-Echo-Json', json]]), '');
  return answer(200, 'OK', headers, json);
}

const server = net.createServer((socket) => {
  let pending = '';
  socket.on('data', (data) => {
    pending += data.toString('latin1');
    while (true) {
      pending = pending.replace(/^(\r\n)+/, '');
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const reply = respond(pending.slice(0, end));
      pending = pending.slice(end + 4);
      if (reply === null) {
        socket.end(answer(400, 'Bad Request', [['Connection', 'close']], ''), 'latin1');
        socket.removeAllListeners('data');
        return;
      }
      socket.write(reply, 'latin1');
    }
  });
  socket.on('error', () => socket.destroy());
});

server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  console.log('listening on http://127.0.0.1:' + server.address().port + '/');
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
