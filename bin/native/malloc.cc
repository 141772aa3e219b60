// bin native memory policy: glibc's allocator keeps what a long run frees. Every thread that allocates gets its own
// arena (libuv's pool threads gzip and write the run folder: ~3.6 MB held per arena for ~0.1 MB in use), and free
// chunks between live ones stay resident until malloc_trim(3). On a 5-minute soak that was 31 MB of 64 MB malloc'd
// (malloc_stats). limitArenas() sets M_ARENA_MAX; trim() returns free pages of every arena to the kernel.
// Other C libraries (musl) keep no such slack: both functions then do nothing and return false.
#define NAPI_VERSION 8
#include <node_api.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

napi_value Bool(napi_env env, bool value) {
  napi_value out;
  napi_get_boolean(env, value, &out);
  return out;
}

// limitArenas(n): arenas created from now on are at most n in all (threads without one then share).
napi_value LimitArenas(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t n = 0;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) {
    napi_throw_range_error(env, nullptr, "limitArenas(n) needs an integer n >= 1");
    return nullptr;
  }
#if defined(__GLIBC__)
  return Bool(env, mallopt(M_ARENA_MAX, n) == 1);
#else
  return Bool(env, false);
#endif
}

// trim(): true when memory was given back to the kernel.
napi_value Trim(napi_env env, napi_callback_info) {
#if defined(__GLIBC__)
  return Bool(env, malloc_trim(0) == 1);
#else
  return Bool(env, false);
#endif
}

}  // namespace

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  const napi_property_descriptor props[] = {
      {"limitArenas", nullptr, LimitArenas, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"trim", nullptr, Trim, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 2, props);
  return exports;
}
