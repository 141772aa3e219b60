// chaos/proxy native relay: one direction of a relayed connection (bytes from one socket to the other), moved by
// copying through a buffer or, once it carries bulk, by splice(2) through a pipe (see pump.cc).
#pragma once

#include <cstddef>
#include <vector>

namespace relay {

// Pipe capacity open across the whole relay, in bytes (the relay thread's lock guards it).
struct PipeBudget {
  size_t used = 0;
};

// One direction: read from `from`, write to `to`. Bytes read but not yet written sit in `buf[off, off+len)`
// (copy mode) or in the pipe, `piped` of them (splice mode); never in both.
struct Dir {
  int from = -1;
  int to = -1;
  char* buf = nullptr;
  size_t off = 0;
  size_t len = 0;
  int pipe[2] = {-1, -1};  // read end, write end (splice mode)
  size_t cap = 0;          // the pipe's size in bytes
  size_t piped = 0;
  bool bulk = false;       // a read filled the whole buffer
  bool triedPipe = false;
  double* received = nullptr;  // live byte counters, in a JS Float64Array
  double* sent = nullptr;
  PipeBudget* budget = nullptr;
};

// Sets the direction up in copy mode; false when its buffer cannot be allocated.
bool Open(Dir& d, int from, int to, double* received, double* sent, PipeBudget* budget);
// Frees the buffer, closes the pipe and returns its capacity to the budget (the sockets are JS's).
void Close(Dir& d);
// Whether the direction holds bytes it read but has not written yet.
inline bool Held(const Dir& d) { return d.len > 0 || d.piped > 0; }
// Moves what is readable; -1 on a socket error, 0 at EOF, 1 otherwise (done for now, or the destination is full).
int Pump(Dir& d);
// Takes the bytes read but not yet written out of the direction (it holds none afterwards).
std::vector<char> Pending(Dir& d);

}  // namespace relay
