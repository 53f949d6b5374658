// The web scripts, gzip-compressed once and served without httplib compressing
// them again (server/static_scripts.h).

#include "server/static_scripts.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <stop_token>
#include <thread>

#include "server_fixture.h"

namespace sirtkit::server {
namespace {

namespace fs = std::filesystem;
using testing::TestServer;

std::string gunzip(const std::string& gz) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);  // gzip only
  std::string out;
  char buf[65536];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  EXPECT_EQ(rc, Z_STREAM_END) << "not one whole gzip stream";
  return out;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

TEST(StaticScripts, GzipRoundTripsAndCompresses) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "const x" + std::to_string(i % 97) + " = " + std::to_string(i) + ";\n";
  const std::string gz = gzip_bytes(text);
  ASSERT_GE(gz.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_LT(gz.size(), text.size() / 3);
  EXPECT_EQ(gunzip(gz), text);
  EXPECT_EQ(gunzip(gzip_bytes("")), "");
}

TEST(StaticScripts, AcceptEncodingParsedWithQualityZeroRefusing) {
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br, zstd"));  // Chromium
  EXPECT_TRUE(accepts_gzip("br;q=1.0, gzip;q=0.8"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, br"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("gzipped"));
}

TEST(StaticScripts, ServedGzippedOnceNeverTwiceAndRefreshedWhenTheFileChanges) {
  const fs::path root = fs::temp_directory_path() / ("sirtkit_static_scripts_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "vendor");
  std::string script;
  for (int i = 0; i < 5000; ++i) script += "export const v" + std::to_string(i) + " = " + std::to_string(i * 7) + ";\n";
  write(root / "vendor" / "lib.js", script);
  write(root / "index.html", "<!doctype html><title>t</title>\n");
  {
    TestServer s(registry::Dialect::sqlite, root.string());
    auto c = s.client();
    c.set_decompress(false);  // the bytes on the wire
    // What Chromium offers: gzip (not brotli, not twice).
    auto r = c.Get("/vendor/lib.js", {{"Accept-Encoding", "gzip, deflate, br, zstd"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
    EXPECT_EQ(r->get_header_value("Vary"), "Accept-Encoding");
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/javascript; charset=utf-8");
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(gunzip(r->body), script);
    // No gzip offered: the file itself, not brotli either.
    for (const char* offer : {"identity", "br", "gzip;q=0, br"}) {
      auto plain = c.Get("/vendor/lib.js", {{"Accept-Encoding", offer}});
      ASSERT_TRUE(plain) << offer;
      EXPECT_EQ(plain->get_header_value("Content-Encoding"), "") << offer;
      EXPECT_EQ(plain->body, script) << offer;
    }
    // A changed file is compressed again.
    const std::string changed = script + "export const w = 1;\n";
    write(root / "vendor" / "lib.js", changed);
    auto again = c.Get("/vendor/lib.js", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(again);
    EXPECT_EQ(gunzip(again->body), changed);
    // Missing scripts and escapes stay refused; other files are the mount point's.
    EXPECT_EQ(c.Get("/vendor/none.js", {{"Accept-Encoding", "gzip"}})->status, 404);
    auto escape = c.Get("/../CMakeLists.js", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(escape);
    EXPECT_NE(escape->status, 200);
    auto index = c.Get("/", {{"Accept-Encoding", "identity"}});
    ASSERT_TRUE(index);
    EXPECT_EQ(index->status, 200);
    EXPECT_EQ(index->get_header_value("Content-Type").rfind("text/html", 0), 0u);
  }
  fs::remove_all(root);
}

TEST(StaticScripts, IfNoneMatchComparesWeaklyAndAcceptsAStar) {
  EXPECT_TRUE(none_match_hits("\"abc\"", "\"abc\""));
  EXPECT_TRUE(none_match_hits("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(none_match_hits("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(none_match_hits(" * ", "\"abc\""));
  EXPECT_FALSE(none_match_hits("", "\"abc\""));
  EXPECT_FALSE(none_match_hits("\"abc-gzip\"", "\"abc\""));
  EXPECT_FALSE(none_match_hits("abc", "\"abc\""));
}

TEST(StaticScripts, ARevalidatedCurrentScriptIsA304WithoutBody) {
  const fs::path root = fs::temp_directory_path() / ("sirtkit_static_scripts_etag_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  write(root / "app.js", "export const a = 1;\n");
  {
    TestServer s(registry::Dialect::sqlite, root.string());
    auto c = s.client();
    c.set_decompress(false);
    auto first = c.Get("/app.js", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(first->get_header_value("Cache-Control"), "no-cache");
    const std::string etag = first->get_header_value("ETag");
    ASSERT_EQ(etag.size(), 2u + 32u + 5u) << etag;  // "<32 hex>-gzip"
    auto plain = c.Get("/app.js", {{"Accept-Encoding", "identity"}});
    ASSERT_TRUE(plain);
    EXPECT_NE(plain->get_header_value("ETag"), etag);  // another representation, another tag
    auto current = c.Get("/app.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
    ASSERT_TRUE(current);
    EXPECT_EQ(current->status, 304);
    EXPECT_TRUE(current->body.empty());
    EXPECT_EQ(current->get_header_value("ETag"), etag);
    // The identity copy's tag does not validate the gzip one.
    auto other = c.Get("/app.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", plain->get_header_value("ETag")}});
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 200);
    // A changed file has a new tag: the old copy is answered in full.
    write(root / "app.js", "export const a = 22;\n");  // another size: a file time may not tick between two writes
    auto changed = c.Get("/app.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->status, 200);
    EXPECT_NE(changed->get_header_value("ETag"), etag);
    EXPECT_EQ(gunzip(changed->body), "export const a = 22;\n");
  }
  fs::remove_all(root);
}

TEST(StaticScripts, ALinkOutOfTheFolderIsNotServed) {
  const fs::path base = fs::temp_directory_path() / ("sirtkit_static_scripts_link_" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "web");
  write(base / "secret.js", "const secret = 42;\n");
  fs::create_symlink(base / "secret.js", base / "web" / "leak.js");
  ScriptCache cache;
  EXPECT_EQ(cache.get(fs::canonical(base / "web"), "/leak.js"), nullptr);
  write(base / "web" / "ok.js", "const ok = 1;\n");
  const auto ok = cache.get(fs::canonical(base / "web"), "/ok.js");
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->raw, "const ok = 1;\n");
  EXPECT_EQ(cache.get(fs::canonical(base / "web"), "/ok.css"), nullptr);
  fs::remove_all(base);
}

TEST(StaticScripts, WarmCompressesEveryScriptOnceAndNothingElse) {
  const fs::path base = fs::temp_directory_path() / ("sirtkit_static_scripts_warm_" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "web" / "vendor");
  std::string big;
  for (int i = 0; i < 3000; ++i) big += "export const v" + std::to_string(i) + " = " + std::to_string(i) + ";\n";
  write(base / "web" / "vendor" / "big.js", big);
  write(base / "web" / "app.js", "export const a = 1;\n");
  write(base / "web" / "app.css", "body { color: black; }\n");
  write(base / "secret.js", "const secret = 42;\n");
  fs::create_symlink(base / "secret.js", base / "web" / "leak.js");  // out of the folder: never compressed
  const fs::path root = fs::canonical(base / "web");
  ScriptCache cache;
  EXPECT_EQ(cache.warm(root), 2u);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.warm(root), 0u);  // held and current
  const auto held = cache.get(root, "/vendor/big.js");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(gunzip(held->gzip), big);
  write(base / "web" / "app.js", "export const a = 22;\n");  // another size: compressed again
  EXPECT_EQ(cache.warm(root), 1u);
  EXPECT_EQ(gunzip(cache.get(root, "/app.js")->gzip), "export const a = 22;\n");
  EXPECT_EQ(cache.get(root, "/vendor/big.js"), held);  // the same copy, not compressed again
  std::stop_source stopped;
  stopped.request_stop();
  write(base / "web" / "app.js", "export const a = 333;\n");
  EXPECT_EQ(cache.warm(root, stopped.get_token()), 0u);
  fs::remove_all(base);
}

TEST(StaticScripts, AServerCompressesItsScriptsBeforeAnyRequest) {
  const fs::path root = fs::temp_directory_path() / ("sirtkit_static_scripts_start_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "vendor");
  write(root / "vendor" / "lib.js", "export const lib = 1;\n");
  write(root / "app.js", "export const a = 1;\n");
  write(root / "index.html", "<!doctype html><title>t</title>\n");
  {
    TestServer s(registry::Dialect::sqlite, root.string());  // asks only /api/me (the listener's check)
    for (int i = 0; i < 500 && s.http().scripts().size() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(s.http().scripts().size(), 2u);
  }
  {
    TestServer none;  // no web root: nothing to compress
    EXPECT_EQ(none.http().scripts().size(), 0u);
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace sirtkit::server
