// The listening socket's backlog (server/http_server.cpp, bind()): 64 clients
// connecting at once to a bound server that accepts nothing yet all complete
// their handshake within 0.8 s, held by the kernel's accept queue. With
// httplib's backlog of 5 only about 6 do: the kernel drops the others' SYNs
// (nstat TcpExtListenOverflows) and they retry after 1 s, which is what gave
// the what-if benchmark at 50 users its 0.2-1.2 s tail (docs/server.md, Measured).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include "server_fixture.h"

namespace sirtkit::server::testing {
namespace {

TEST(ListenBacklog, SixtyFourClientsConnectingAtOnceAreAllHeldUntilAccepted) {
  ServerConfig c;
  c.db = fresh_registry(registry::Dialect::sqlite);
  pipelines::registry_load_demo(c.db);
  c.bind = "127.0.0.1";
  c.port = 0;
  c.password_cost = PasswordCost::test_minimum;
  HttpServer server(c);
  const int port = server.bind();  // bound and listening, but run() is not called: nothing accepts
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  constexpr int kClients = 64;
  std::vector<pollfd> fds;
  for (int i = 0; i < kClients; ++i) {
    const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ASSERT_GE(s, 0);
    const int r = ::connect(s, reinterpret_cast<const sockaddr*>(&to), sizeof(to));
    ASSERT_TRUE(r == 0 || errno == EINPROGRESS);
    fds.push_back({s, POLLOUT, 0});
  }
  int connected = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(800);  // a SYN is retried after 1 s
  while (connected < kClients && std::chrono::steady_clock::now() < deadline) {
    std::vector<pollfd> pending;
    for (const auto& f : fds)
      if (f.fd >= 0) pending.push_back({f.fd, POLLOUT, 0});
    ::poll(pending.data(), pending.size(), 50);
    for (const auto& p : pending) {
      if (!(p.revents & POLLOUT)) continue;
      int error = 0;
      socklen_t len = sizeof(error);
      ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &len);
      EXPECT_EQ(error, 0);
      for (auto& f : fds)
        if (f.fd == p.fd) f.fd = -1;
      ::close(p.fd);
      ++connected;
    }
  }
  for (const auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  EXPECT_EQ(connected, kClients);
}

}  // namespace
}  // namespace sirtkit::server::testing
