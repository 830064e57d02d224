// echo_origin.js: Node.js's own HTTP server (the `http` module, not code of
// this project) speaking the echo contract of conformance/README.md: every
// request it hands to the application is answered 200 with the canonical
// JSON of what Node parsed, so httpconform --server judges what Node
// understood, not only its status codes.
//
//   node conformance/examples/echo_origin.js [PORT]   (default 0: any free port)
//
// Listens on 127.0.0.1 and prints "listening on http://127.0.0.1:PORT/" on
// stdout once it accepts. Stop it with SIGTERM/SIGINT.
//
// What Node reports is taken as it reports it: req.method, req.url (the raw
// request-target), req.httpVersion, req.rawHeaders and req.rawTrailers (field
// lines in wire order, names as received), the body as the request stream
// delivers it (chunked coding removed), and res.shouldKeepAlive (whether
// Node keeps the connection after this response). Node hands these over as
// latin1 strings, one code point per octet, which is the contract's rule.
// The only change: leading/trailing SP and HTAB are trimmed from field
// values, as the contract asks (RFC 9112 §5: OWS is not part of the value).
'use strict';

const http = require('http');

// A JSON string of a latin1 string: one code point U+0000-U+00FF per
// octet, ASCII out (\u00XX for controls and octets 0x7F-0xFF).
function jsonString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new Error('a code point above U+00FF: not one octet');
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += '\\u00' + c.toString(16).padStart(2, '0');
  }
  return out + '"';
}

function trimOws(s) {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

// rawHeaders / rawTrailers: [name, value, name, value, ...].
function jsonFields(raw) {
  const pairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    pairs.push('[' + jsonString(raw[i]) + ', ' + jsonString(trimOws(raw[i + 1])) + ']');
  }
  return '[' + pairs.join(', ') + ']';
}

function echo(req, res, body) {
  return '{"method": ' + jsonString(req.method) +
      ', "target": ' + jsonString(req.url) +
      ', "version": ' + jsonString('HTTP/' + req.httpVersion) +
      ', "headers": ' + jsonFields(req.rawHeaders) +
      ', "trailers": ' + jsonFields(req.rawTrailers) +
      ', "body_b64": "' + body.toString('base64') + '"' +
      ', "keep_alive": ' + (res.shouldKeepAlive ? 'true' : 'false') + '}';
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let json;
    try {
      json = echo(req, res, Buffer.concat(chunks));
    } catch (e) {
      res.writeHead(500, {'Content-Type': 'text/plain'});
      res.end('cannot echo: ' + e.message + '\n');
      return;
    }
    const headers = {
      'Content-Type': 'application/json',
      'X-Echo': 'canonical-json/1',
      'Content-Length': Buffer.byteLength(json, 'latin1'),
    };
    if (req.method === 'HEAD') headers['X-Echo-Json'] = json;  // no content for HEAD
    res.writeHead(200, headers);
    res.end(json, 'latin1');
  });
});

// Required as a module (conformance/chains/testdata/body_blind_origin.js),
// it only lends its JSON encoding.
module.exports = {jsonString, jsonFields, trimOws};
if (require.main === module) {
  const port = Number(process.argv[2] || 0);
  server.listen(port, '127.0.0.1', () => {
    console.log('listening on http://127.0.0.1:' + server.address().port + '/');
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      server.close();
      server.closeAllConnections();
    });
  }
}
