#ifndef SHOCKWAVE_SERVER_STATIC_FILES_H_
#define SHOCKWAVE_SERVER_STATIC_FILES_H_

// StaticFiles: a route target that serves the files beneath a directory,
// with the building blocks of server/files/ and Request::send_file:
//
//   const int root = files::open_root("/srv/www");   // start-up; -1 + errno on failure
//   StaticFiles files(root);
//   router.get("/static/*", files);                  // HEAD and OPTIONS come with it
//
// For each GET or HEAD: the route's wildcard (or, used as a plain handler,
// the whole path) names a file beneath the root (files/safe_path.h: 400 for
// a traversal attempt, 404 for a file that is not there or a symlink that
// leaves the root, 403 for one the server may not read); a directory named
// without its trailing "/" is redirected to it (301), and with it serves
// its index.html (there are no listings). Then RFC 9110 §13.2.2 decides:
// 304, 412, or the file: 206 with one byte range (§14.2; 416 when none is
// satisfiable), else 200 with all of it. The response carries ETag,
// Last-Modified, Accept-Ranges and a Content-Type from the extension
// (files/content_type.h); its content is sent by the server from the open
// file (sendfile(2) under epoll).
//
// Open files: the one being answered, held by its connection until its
// bytes are out, so at most one per connection slot; nothing is cached.
// Nothing here allocates.

#include <string_view>

#include "server/handler.h"
#include "server/route_pattern.h"

namespace shockwave {

class StaticFiles {
 public:
  // root_fd: the document root, from files::open_root; not owned (it
  // must stay open while the server runs).
  explicit StaticFiles(int root_fd) noexcept : root_fd_(root_fd) {}

  // As a route target: the path's wildcard part names the file ("/*" and
  // "/static/*" alike); a route without a wildcard serves the whole path.
  void handle(const Request& request, const RouteParams& params, ResponseWriter& response) const noexcept;
  // As a handler of its own: the whole path names the file.
  void handle(const Request& request, ResponseWriter& response) const noexcept;

 private:
  void serve(const Request& request, std::string_view path, ResponseWriter& response) const noexcept;

  int root_fd_;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_STATIC_FILES_H_
