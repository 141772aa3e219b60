// chaos/proxy native relay: moves the bytes of toxic-less proxy connections between their two sockets on one
// epoll thread (Toxiproxy's Go server does one goroutine pair per link; Node's stream layer costs more per chunk
// than the copy itself); pump.cc moves each direction, by splice(2) once it carries bulk. JS hands a connection over with attach(), takes it back with detach() when a toxic
// arrives (it gets the bytes still in flight), and hears through onEnd when a side closed or failed.
// Linux only; chaos/proxy/native-relay.ts falls back to the JS relay when this addon is absent.
#define NAPI_VERSION 8
#include <node_api.h>

#include "pump.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using relay::Dir;

constexpr int kMaxEvents = 128;

struct Conn {
  uint32_t id = 0;
  int fd[2] = {-1, -1};  // 0 = client (A), 1 = server (B)
  Dir dir[2];            // 0 = upstream (A→B), 1 = downstream (B→A)
  double* stats = nullptr;  // [upReceived, upSent, downReceived, downSent], a JS Float64Array kept alive by JS
  uint32_t interest[2] = {0, 0};
};

struct Event {
  uint32_t id;
  int reason;  // 0 = a side reached EOF, 1 = a socket error
  std::vector<char> toClient;
  std::vector<char> toServer;
};

struct Relay {
  int epfd = -1;
  int wakefd = -1;
  std::mutex mu;
  std::unordered_map<uint32_t, Conn*> conns;
  uint32_t nextId = 1;
  napi_threadsafe_function onEnd = nullptr;
  std::thread thread;
  bool stopping = false;
  relay::PipeBudget pipes;
};

uint64_t Key(uint32_t id, int side) { return (static_cast<uint64_t>(id) << 1) | static_cast<uint64_t>(side); }

// What fd `side` should be watched for: readable while its outgoing direction has nothing pending,
// writable while its incoming direction has bytes pending.
uint32_t Wanted(const Conn* c, int side) {
  uint32_t ev = 0;
  const Dir& out = c->dir[side];      // reads from this fd
  const Dir& in = c->dir[1 - side];   // writes to this fd
  if (!relay::Held(out)) ev |= EPOLLIN;
  if (relay::Held(in)) ev |= EPOLLOUT;
  return ev;
}

void Rearm(Relay* r, Conn* c) {
  for (int side = 0; side < 2; side++) {
    uint32_t want = Wanted(c, side);
    if (want == c->interest[side]) continue;
    epoll_event ev{};
    ev.events = want;
    ev.data.u64 = Key(c->id, side);
    epoll_ctl(r->epfd, EPOLL_CTL_MOD, c->fd[side], &ev);
    c->interest[side] = want;
  }
}

// Removes the connection (caller holds the lock); its fds stay open (JS owns them).
void Remove(Relay* r, Conn* c) {
  for (int side = 0; side < 2; side++) epoll_ctl(r->epfd, EPOLL_CTL_DEL, c->fd[side], nullptr);
  r->conns.erase(c->id);
  relay::Close(c->dir[0]);
  relay::Close(c->dir[1]);
  delete c;
}

void Finish(Relay* r, Conn* c, int reason) {
  auto* e = new Event{c->id, reason, relay::Pending(c->dir[1]), relay::Pending(c->dir[0])};
  Remove(r, c);
  if (napi_call_threadsafe_function(r->onEnd, e, napi_tsfn_nonblocking) != napi_ok) delete e;
}

void Loop(Relay* r) {
  epoll_event events[kMaxEvents];
  for (;;) {
    int n = epoll_wait(r->epfd, events, kMaxEvents, -1);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard<std::mutex> lock(r->mu);
    if (r->stopping) return;
    for (int i = 0; i < n; i++) {
      uint64_t key = events[i].data.u64;
      if (key == UINT64_MAX) {
        uint64_t v;
        (void)!read(r->wakefd, &v, sizeof v);
        continue;
      }
      auto it = r->conns.find(static_cast<uint32_t>(key >> 1));
      if (it == r->conns.end()) continue;  // detached or finished earlier in this batch
      Conn* c = it->second;
      int side = static_cast<int>(key & 1);
      // Readable (or hung up / failed) on `side` drives the direction reading from it; writable drives the other.
      int result = 1;
      uint32_t got = events[i].events;
      if (got & (EPOLLIN | EPOLLHUP | EPOLLERR)) result = relay::Pump(c->dir[side]);
      if (result > 0 && (got & EPOLLOUT)) result = relay::Pump(c->dir[1 - side]);
      if (result > 0 && (got & (EPOLLHUP | EPOLLERR))) result = (got & EPOLLERR) ? -1 : 0;
      // At EOF or on an error the connection goes back to JS, with what is still in flight, to be closed as the
      // JS relay closes it (Toxiproxy closes the whole connection when one link ends).
      if (result <= 0) {
        Finish(r, c, result < 0 ? 1 : 0);
      } else {
        Rearm(r, c);
      }
    }
  }
}

napi_value Throw(napi_env env, const char* msg) {
  napi_throw_error(env, "CB_CHAOS_NATIVE_RELAY", msg);
  return nullptr;
}

void CallJs(napi_env env, napi_value callback, void*, void* data) {
  auto* e = static_cast<Event*>(data);
  if (env != nullptr && callback != nullptr) {
    napi_value args[4], undefined, out;
    napi_create_uint32(env, e->id, &args[0]);
    napi_create_int32(env, e->reason, &args[1]);
    void* copy;
    napi_create_buffer_copy(env, e->toClient.size(), e->toClient.data(), &copy, &args[2]);
    napi_create_buffer_copy(env, e->toServer.size(), e->toServer.data(), &copy, &args[3]);
    napi_get_undefined(env, &undefined);
    napi_call_function(env, undefined, callback, 4, args, &out);
  }
  delete e;
}

Relay* Instance(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<Relay*>(data);
}

// Stops the thread before Node tears down the environment's threadsafe functions (cleanup hooks run in reverse
// order of registration, and this one is added after the callback's).
void Stop(void* data) {
  auto* r = static_cast<Relay*>(data);
  if (!r->thread.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(r->mu);
    r->stopping = true;
  }
  uint64_t one = 1;
  (void)!write(r->wakefd, &one, sizeof one);
  r->thread.join();
}

// start(onEnd(id, reason, toClient, toServer)): creates the epoll thread once per JS environment.
napi_value Start(napi_env env, napi_callback_info info) {
  Relay* r = Instance(env);
  if (r->onEnd != nullptr) return nullptr;
  size_t argc = 1;
  napi_value argv[1], name;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  napi_create_string_utf8(env, "codeblue-relay", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[0], nullptr, name, 0, 1, nullptr, nullptr, nullptr, CallJs, &r->onEnd) != napi_ok) {
    return Throw(env, "cannot create the relay's callback");
  }
  napi_unref_threadsafe_function(env, r->onEnd);  // an idle relay never keeps the process alive
  r->epfd = epoll_create1(EPOLL_CLOEXEC);
  r->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = UINT64_MAX;
  epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->wakefd, &ev);
  r->thread = std::thread(Loop, r);
  napi_add_env_cleanup_hook(env, Stop, r);
  return nullptr;
}

// attach(clientFd, serverFd, stats: Float64Array(4)) → id
napi_value Attach(napi_env env, napi_callback_info info) {
  Relay* r = Instance(env);
  if (r->onEnd == nullptr) return Throw(env, "start() the relay first");
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t fdA, fdB;
  napi_typedarray_type type;
  size_t length;
  void* stats;
  if (napi_get_value_int32(env, argv[0], &fdA) != napi_ok || napi_get_value_int32(env, argv[1], &fdB) != napi_ok ||
      napi_get_typedarray_info(env, argv[2], &type, &length, &stats, nullptr, nullptr) != napi_ok ||
      type != napi_float64_array || length < 4) {
    return Throw(env, "attach(clientFd, serverFd, Float64Array(4)) expected");
  }
  auto* c = new Conn();
  c->fd[0] = fdA;
  c->fd[1] = fdB;
  c->stats = static_cast<double*>(stats);
  std::lock_guard<std::mutex> lock(r->mu);  // guards the pipe budget too
  if (!relay::Open(c->dir[0], fdA, fdB, c->stats, c->stats + 1, &r->pipes) ||
      !relay::Open(c->dir[1], fdB, fdA, c->stats + 2, c->stats + 3, &r->pipes)) {
    relay::Close(c->dir[0]);
    relay::Close(c->dir[1]);
    delete c;
    return Throw(env, "out of memory for the relay's buffers");
  }
  c->id = r->nextId++;
  if (r->nextId == 0) r->nextId = 1;
  r->conns[c->id] = c;
  for (int side = 0; side < 2; side++) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = Key(c->id, side);
    c->interest[side] = EPOLLIN;
    if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, c->fd[side], &ev) != 0) {
      int err = errno;
      Remove(r, c);
      char msg[96];
      snprintf(msg, sizeof msg, "epoll_ctl(ADD) failed: %s", strerror(err));
      return Throw(env, msg);
    }
  }
  napi_value out;
  napi_create_uint32(env, c->id, &out);
  return out;
}

// detach(id) → [toClient, toServer] (bytes read but not yet written), or null when the connection already ended
// (its onEnd call is on its way).
napi_value Detach(napi_env env, napi_callback_info info) {
  Relay* r = Instance(env);
  size_t argc = 1;
  napi_value argv[1], out;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  uint32_t id;
  napi_get_value_uint32(env, argv[0], &id);
  std::vector<char> toClient, toServer;
  {
    std::lock_guard<std::mutex> lock(r->mu);
    auto it = r->conns.find(id);
    if (it == r->conns.end()) {
      napi_get_null(env, &out);
      return out;
    }
    toClient = relay::Pending(it->second->dir[1]);
    toServer = relay::Pending(it->second->dir[0]);
    Remove(r, it->second);
  }
  napi_value a, b;
  void* copy;
  napi_create_buffer_copy(env, toClient.size(), toClient.data(), &copy, &a);
  napi_create_buffer_copy(env, toServer.size(), toServer.data(), &copy, &b);
  napi_create_array_with_length(env, 2, &out);
  napi_set_element(env, out, 0, a);
  napi_set_element(env, out, 1, b);
  return out;
}

napi_value Count(napi_env env, napi_callback_info) {
  Relay* r = Instance(env);
  napi_value out;
  std::lock_guard<std::mutex> lock(r->mu);
  napi_create_uint32(env, static_cast<uint32_t>(r->conns.size()), &out);
  return out;
}

void Teardown(napi_env, void* data, void*) {
  auto* r = static_cast<Relay*>(data);
  Stop(r);
  for (auto& kv : r->conns) {
    relay::Close(kv.second->dir[0]);
    relay::Close(kv.second->dir[1]);
    delete kv.second;
  }
  if (r->epfd >= 0) close(r->epfd);
  if (r->wakefd >= 0) close(r->wakefd);
  delete r;
}

}  // namespace

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_set_instance_data(env, new Relay(), Teardown, nullptr);
  const napi_property_descriptor props[] = {
      {"start", nullptr, Start, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attach", nullptr, Attach, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"detach", nullptr, Detach, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"count", nullptr, Count, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 4, props);
  return exports;
}
