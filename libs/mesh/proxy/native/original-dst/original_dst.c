/*
 * originalDst(fd) -> { address, port, family } | null
 *
 * The original destination of a TCP connection that netfilter NAT (iptables `REDIRECT`) sent to
 * this process, as Envoy's envoy.filters.listener.original_dst reads it:
 * getsockopt(fd, SOL_IP, SO_ORIGINAL_DST) for IPv4 (also for v4-mapped connections accepted on a
 * `::` listener), getsockopt(fd, SOL_IPV6, IP6T_SO_ORIGINAL_DST) for IPv6. Linux only.
 *
 * null: not redirected, i.e. conntrack has no entry (ENOENT), the netfilter sockopt is not
 * registered (ENOPROTOOPT: nf_conntrack not loaded), or conntrack's original destination is the
 * socket's own local address (a tracked but un-NATed connection). Any other failure throws an
 * Error whose `code` is the errno name (EBADF, ENOTSOCK, ...).
 *
 * Loaded by libs/mesh/proxy/src/unsafe/original-dst.ts; built by build.mjs beside this file.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#ifndef SO_ORIGINAL_DST
#define SO_ORIGINAL_DST 80 /* linux/netfilter_ipv4.h */
#endif
#ifndef IP6T_SO_ORIGINAL_DST
#define IP6T_SO_ORIGINAL_DST 80 /* linux/netfilter_ipv6/ip6_tables.h */
#endif

static napi_value throw_errno(napi_env env, int err, const char *call) {
  char msg[128];
  const char *code = err == EBADF ? "EBADF" : err == ENOTSOCK ? "ENOTSOCK" : err == EINVAL ? "EINVAL" : err == EFAULT ? "EFAULT" : "EIO";
  snprintf(msg, sizeof msg, "%s: %s", call, strerror(err));
  napi_throw_error(env, code, msg);
  return NULL;
}

static napi_value make_result(napi_env env, const char *address, unsigned port, const char *family) {
  napi_value obj, v;
  if (napi_create_object(env, &obj) != napi_ok) return NULL;
  napi_create_string_utf8(env, address, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "address", v);
  napi_create_uint32(env, port, &v);
  napi_set_named_property(env, obj, "port", v);
  napi_create_string_utf8(env, family, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "family", v);
  return obj;
}

/* 1 = found (out filled), 0 = not redirected, -1 = error (errno set). */
static int get_v4(int fd, struct sockaddr_in *out) {
  socklen_t len = sizeof *out;
  memset(out, 0, sizeof *out);
  if (getsockopt(fd, SOL_IP, SO_ORIGINAL_DST, out, &len) == 0) return 1;
  return errno == ENOENT || errno == ENOPROTOOPT ? 0 : -1;
}

static int get_v6(int fd, struct sockaddr_in6 *out) {
  socklen_t len = sizeof *out;
  memset(out, 0, sizeof *out);
  if (getsockopt(fd, SOL_IPV6, IP6T_SO_ORIGINAL_DST, out, &len) == 0) return 1;
  return errno == ENOENT || errno == ENOPROTOOPT ? 0 : -1;
}

static napi_value OriginalDst(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], null_value;
  int32_t fd;
  napi_get_null(env, &null_value);
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "originalDst(fd): fd must be a number");
    return NULL;
  }

  struct sockaddr_storage local;
  socklen_t local_len = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &local_len) != 0) return throw_errno(env, errno, "getsockname");

  char text[INET6_ADDRSTRLEN];
  if (local.ss_family == AF_INET) {
    struct sockaddr_in dst, *self = (struct sockaddr_in *)&local;
    int r = get_v4(fd, &dst);
    if (r < 0) return throw_errno(env, errno, "getsockopt(SO_ORIGINAL_DST)");
    if (r == 0 || (dst.sin_addr.s_addr == self->sin_addr.s_addr && dst.sin_port == self->sin_port)) return null_value;
    inet_ntop(AF_INET, &dst.sin_addr, text, sizeof text);
    return make_result(env, text, ntohs(dst.sin_port), "IPv4");
  }
  if (local.ss_family == AF_INET6) {
    struct sockaddr_in6 *self = (struct sockaddr_in6 *)&local;
    if (IN6_IS_ADDR_V4MAPPED(&self->sin6_addr)) {
      /* An IPv4 connection accepted on a dual-stack listener: conntrack tracked it as IPv4. */
      struct sockaddr_in dst;
      int r = get_v4(fd, &dst);
      if (r < 0) return throw_errno(env, errno, "getsockopt(SO_ORIGINAL_DST)");
      if (r == 0 || (memcmp(&dst.sin_addr, &self->sin6_addr.s6_addr[12], 4) == 0 && dst.sin_port == self->sin6_port)) return null_value;
      inet_ntop(AF_INET, &dst.sin_addr, text, sizeof text);
      return make_result(env, text, ntohs(dst.sin_port), "IPv4");
    }
    struct sockaddr_in6 dst;
    int r = get_v6(fd, &dst);
    if (r < 0) return throw_errno(env, errno, "getsockopt(IP6T_SO_ORIGINAL_DST)");
    if (r == 0 || (memcmp(&dst.sin6_addr, &self->sin6_addr, sizeof dst.sin6_addr) == 0 && dst.sin6_port == self->sin6_port)) return null_value;
    inet_ntop(AF_INET6, &dst.sin6_addr, text, sizeof text);
    return make_result(env, text, ntohs(dst.sin6_port), "IPv6");
  }
  return null_value; /* not an IP socket (e.g. a Unix domain socket): nothing was redirected */
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "originalDst", NAPI_AUTO_LENGTH, OriginalDst, NULL, &fn) != napi_ok) return NULL;
  napi_set_named_property(env, exports, "originalDst", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
