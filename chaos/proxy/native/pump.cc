// chaos/proxy native relay: moving one direction's bytes. Small exchanges (requests, answers) are copied through a
// 64 KB buffer, as Go's io.Copy does with 32 KB. A direction whose read fills that buffer carries bulk; from then on
// it goes through a pipe with splice(2): the kernel hands page references from one socket to the other, so the bytes
// are never copied into this process. A read/write pair copies each byte twice; on a 2-core machine that copy
// competed with the client and the upstream for the CPU (issue 14: bulk through the proxy at 0.5× direct).
#include "pump.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

namespace relay {
namespace {

constexpr size_t kBufSize = 64 * 1024;
// A bigger pipe moves more per splice pair (measured: 0.15 CPU s/GB at 1 MB, 0.25–0.39 at the default 64 KB).
constexpr int kPipeSize = 1024 * 1024;
// Pipes count against the user's pipe-user-pages-soft (64 MB by default); past it the kernel gives every new
// pipe of that user 8 KB. The relay keeps to a quarter of it; directions past the budget stay in copy mode.
constexpr size_t kPipeBudget = 16 * 1024 * 1024;

// Opens a pipe for a bulk direction when the budget allows and the kernel grants its full size.
void TrySplice(Dir& d) {
  d.triedPipe = true;
  if (d.budget->used + kPipeSize > kPipeBudget) return;
  if (pipe2(d.pipe, O_NONBLOCK | O_CLOEXEC) != 0) return;  // out of descriptors: copying still works
  int size = fcntl(d.pipe[1], F_SETPIPE_SZ, kPipeSize);
  if (size < kPipeSize) {
    close(d.pipe[0]);
    close(d.pipe[1]);
    d.pipe[0] = d.pipe[1] = -1;
    return;
  }
  d.cap = static_cast<size_t>(size);
  d.budget->used += d.cap;
}

// Writes `len` bytes with `op` until done or the destination is full; false on an error.
template <typename Op>
bool Drain(Dir& d, size_t& len, Op op) {
  while (len > 0) {
    ssize_t n = op();
    if (n > 0) {
      len -= n;
      *d.sent += static_cast<double>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return true;
    } else {
      return false;
    }
  }
  return true;
}

bool Flush(Dir& d) {
  bool ok = Drain(d, d.len, [&d] {
    ssize_t n = write(d.to, d.buf + d.off, d.len);
    if (n > 0) d.off += n;
    return n;
  });
  if (d.len == 0) d.off = 0;
  return ok && Drain(d, d.piped, [&d] { return splice(d.pipe[0], nullptr, d.to, nullptr, d.piped, SPLICE_F_MOVE | SPLICE_F_NONBLOCK); });
}

}  // namespace

bool Open(Dir& d, int from, int to, double* received, double* sent, PipeBudget* budget) {
  d.from = from;
  d.to = to;
  d.received = received;
  d.sent = sent;
  d.budget = budget;
  d.buf = static_cast<char*>(malloc(kBufSize));
  return d.buf != nullptr;
}

void Close(Dir& d) {
  free(d.buf);
  d.buf = nullptr;
  if (d.pipe[0] < 0) return;
  close(d.pipe[0]);
  close(d.pipe[1]);
  d.pipe[0] = d.pipe[1] = -1;
  d.budget->used -= d.cap;
}

int Pump(Dir& d) {
  if (!Flush(d)) return -1;
  while (!Held(d)) {
    // Switching only while nothing is held keeps the order: the pipe starts after the buffer's last byte left.
    if (d.bulk && !d.triedPipe) TrySplice(d);
    bool spliced = d.pipe[0] >= 0;
    size_t asked = spliced ? d.cap : kBufSize;
    // The pipe is empty here, so EAGAIN means the socket has nothing (libuv's sockets are non-blocking).
    ssize_t n = spliced ? splice(d.from, nullptr, d.pipe[1], nullptr, asked, SPLICE_F_MOVE | SPLICE_F_NONBLOCK)
                        : read(d.from, d.buf, asked);
    if (n > 0) {
      *d.received += static_cast<double>(n);
      if (spliced) {
        d.piped = n;
      } else {
        d.len = n;
        if (static_cast<size_t>(n) == kBufSize) d.bulk = true;
      }
      if (!Flush(d)) return -1;
      if (static_cast<size_t>(n) < asked) break;  // drained the socket for now (epoll is level-triggered)
    } else if (n == 0) {
      return 0;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      break;
    } else {
      return -1;
    }
  }
  return 1;
}

std::vector<char> Pending(Dir& d) {
  std::vector<char> out(d.buf + d.off, d.buf + d.off + d.len);
  d.off = d.len = 0;
  size_t at = out.size();
  out.resize(at + d.piped);
  while (d.piped > 0) {
    ssize_t n = read(d.pipe[0], out.data() + at, d.piped);
    if (n > 0) {
      at += n;
      d.piped -= n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // cannot happen while the pipe holds `piped` bytes
    }
  }
  out.resize(at);
  d.piped = 0;
  return out;
}

}  // namespace relay
