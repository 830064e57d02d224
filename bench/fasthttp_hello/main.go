// fasthttp_hello: the fasthttp peer of bench/server_bench.sh. Answers GET
// /plaintext with "Hello, World!" (text/plain), 404 elsewhere. Built offline
// from Debian's Go packages:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o fasthttp_hello bench/fasthttp_hello/main.go
//
// One worker: run it with GOMAXPROCS=1.
package main

import (
	"flag"
	"log"

	"github.com/valyala/fasthttp"
)

var body = []byte("Hello, World!")

func handle(ctx *fasthttp.RequestCtx) {
	if string(ctx.Path()) != "/plaintext" {
		ctx.SetStatusCode(fasthttp.StatusNotFound)
		return
	}
	ctx.SetContentType("text/plain")
	ctx.SetBody(body)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (loopback)")
	flag.Parse()
	server := &fasthttp.Server{Handler: handle, Name: "fasthttp"}
	if err := server.ListenAndServe(*addr); err != nil {
		log.Fatal(err)
	}
}
