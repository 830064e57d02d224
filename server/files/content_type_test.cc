// content_type.h: every extension the table promises, case-insensitive
// lookup, where an extension starts and when there is none, charset on
// text/* only, the default, and no allocation.

#include "server/files/content_type.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "testing/alloc_counter.h"

namespace shockwave::files {
namespace {

TEST(ContentType, TheTable) {
  const std::pair<std::string_view, std::string_view> expected[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "application/xml"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"apng", "image/apng"},
      {"bmp", "image/bmp"},
      {"ico", "image/vnd.microsoft.icon"},
      {"wasm", "application/wasm"},
      {"pdf", "application/pdf"},
      {"zip", "application/zip"},
      {"gz", "application/gzip"},
      {"tar", "application/x-tar"},
      {"mp4", "video/mp4"},
      {"webm", "video/webm"},
      {"mp3", "audio/mpeg"},
      {"ogg", "audio/ogg"},
      {"wav", "audio/wav"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"csv", "text/csv; charset=utf-8"},
      {"md", "text/markdown; charset=utf-8"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
  };
  for (const auto& [extension, type] : expected) {
    EXPECT_EQ(content_type_for_extension(extension), type) << extension;
    EXPECT_EQ(content_type_for_path("/dir/file." + std::string(extension)), type) << extension;
  }
}

TEST(ContentType, ExtensionsAreCaseInsensitive) {
  EXPECT_EQ(content_type_for_extension("HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for_extension("Png"), "image/png");
  EXPECT_EQ(content_type_for_extension("WOFF2"), "font/woff2");
  EXPECT_EQ(content_type_for_extension("WebManifest"), "application/manifest+json");
  EXPECT_EQ(content_type_for_path("/assets/App.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for_path("PHOTO.JPEG"), "image/jpeg");
}

// Neighbours in the sorted table are different entries, not prefixes.
TEST(ContentType, OnlyWholeExtensionsMatch) {
  for (std::string_view other : {"j", "jso", "jsonx", "htmll", "ht", "web", "webmanifes", "webmanifestx", "woff3", "mp",
                                 "tx", "xhtml", "exe", "bin", "jsx", "tsx", "yaml", "gzip"}) {
    EXPECT_EQ(content_type_for_extension(other), kDefaultContentType) << other;
  }
}

TEST(ContentType, TheLastDotOfTheLastSegment) {
  EXPECT_EQ(content_type_for_path("/archive.tar.gz"), "application/gzip");
  EXPECT_EQ(content_type_for_path("/app.min.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for_path("/v1.2/README"), kDefaultContentType);  // the dot is the directory's
  EXPECT_EQ(content_type_for_path("/site.html/data"), kDefaultContentType);
  EXPECT_EQ(content_type_for_path("index.html"), "text/html; charset=utf-8");  // a bare name
  EXPECT_EQ(content_type_for_path("a/b/c/index.html"), "text/html; charset=utf-8");
}

TEST(ContentType, NamesWithoutAnExtension) {
  for (std::string_view path :
       {"", "/", "/README", "/Makefile", "/.htaccess", "/dir/.html", ".css", "/file.", "/file..", "/dir/"}) {
    EXPECT_EQ(content_type_for_path(path), kDefaultContentType) << path;
  }
  EXPECT_EQ(content_type_for_path("/.config.json"), "application/json");  // a dot file with an extension
}

TEST(ContentType, NothingButTheTable) {
  EXPECT_EQ(content_type_for_extension(""), kDefaultContentType);
  EXPECT_EQ(content_type_for_extension("averyveryverylongextension"), kDefaultContentType);
  EXPECT_EQ(content_type_for_extension(std::string_view("ht\0ml", 5)), kDefaultContentType);
  EXPECT_EQ(content_type_for_extension("h\xc3\xa9ml"), kDefaultContentType);
  EXPECT_EQ(kDefaultContentType, "application/octet-stream");
}

// Design invariant 1: looked up per request, so nothing is allocated.
TEST(ContentType, AllocatesNothing) {
  const std::string paths[] = {"/index.html", "/a/B.PNG", "/x.unknown", "/.htaccess", "/archive.tar.gz"};
  std::size_t sizes = 0;
  testing::AllocationScope scope;
  for (const std::string& path : paths) sizes += content_type_for_path(path).size();
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_GT(sizes, 0u);
}

}  // namespace
}  // namespace shockwave::files
