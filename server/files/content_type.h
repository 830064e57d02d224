#ifndef SHOCKWAVE_SERVER_FILES_CONTENT_TYPE_H_
#define SHOCKWAVE_SERVER_FILES_CONTENT_TYPE_H_

// Content-Type by file name extension (RFC 9110 §8.3): a fixed table,
// sorted and checked at compile time, searched without allocating.
//
//   content_type_for_path("/assets/App.JS")  -> "text/javascript; charset=utf-8"
//   content_type_for_path("/download.bin")   -> "application/octet-stream"
//
// - The extension is what follows the last "." of the last segment,
//   compared case-insensitively ("PNG" is "png"). A name that starts with
//   its only "." (".htaccess") or ends with one has none.
// - Every text/* type carries "; charset=utf-8": the files served are taken
//   to be UTF-8 (ASCII included), and without the parameter a recipient may
//   guess otherwise. JSON has no charset parameter (RFC 8259 §11: "No
//   'charset' parameter is defined"), and XML and SVG are served as
//   application/xml and image/svg+xml without one, so the XML declaration
//   decides (RFC 7303 §3.2), not a guess made here.
// - Anything else is "application/octet-stream" (RFC 9110 §8.3: the
//   recipient then treats the content as opaque data rather than sniff a
//   type the server never claimed).

#include <string_view>

namespace shockwave::files {

inline constexpr std::string_view kDefaultContentType = "application/octet-stream";

// content_type_for_extension: the media type for an extension without its
// dot ("html", "PNG"), or kDefaultContentType.
std::string_view content_type_for_extension(std::string_view extension) noexcept;

// content_type_for_path: the media type for the extension of a decoded path
// or file name (safe_path.h's relative path, not the request's
// percent-encoded one), or kDefaultContentType.
std::string_view content_type_for_path(std::string_view path) noexcept;

}  // namespace shockwave::files

#endif  // SHOCKWAVE_SERVER_FILES_CONTENT_TYPE_H_
